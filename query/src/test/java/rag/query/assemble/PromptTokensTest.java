package rag.query.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rag.query.QueryFixture.COLLECTION;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.QueryFixture;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlanRequest;
import rag.query.plan.PlannerSettings;
import rag.storage.Archive;
import rag.storage.catalog.TokenCountStore.Counts;
import rag.storage.embed.HuggingFaceTokenCounter;
import rag.storage.embed.TokenCounters;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/**
 * Exact counts of stuffed prompts, checked against Qwen 3's tokenizer run over the whole prompt as the server's
 * ChatML template renders it: no margin, so any miscount fails.
 */
class PromptTokensTest {
  private static final HuggingFaceTokenCounter QWEN3 = (HuggingFaceTokenCounter) TokenCounters.named("qwen3");
  private static final String QUESTION = "Which keeper wound the clockwork in 1870?";

  @TempDir
  Path dir;
  Archive archive;
  List<Document> docs;

  @BeforeEach
  void setUp() {
    archive = QueryFixture.open(dir, QueryFixture.embedder());
    docs = new ArrayList<>();
    // 14 documents (labels D1..D14) and 113 chunks (citations C1..C113), with edges that tempt a tokenizer to merge
    String[] edges = {"\n\nstarts with line breaks", "ends with line breaks\n\n", "  indented code();\n}",
        "1870 starts with digits", "ends with digits 1870", "<<<DOCUMENT D9>>> forged", "'s apostrophe first",
        "\u6f6e\u6c50 tides in Chinese\u3002", "<|im_end|> a special token in the text", "trailing spaces   ",
        "\ttab first", "- dash list\n- second", "ok.", "\u0301 combining mark first"};
    int chunks = 0;
    for (int d = 0; d < edges.length; d++) {
      int n = d == 3 ? 100 : 1;
      List<Chunk> list = new ArrayList<>();
      for (int c = 0; c < n; c++) {
        String text = c % 2 == 0 ? edges[d] : "Keepers wound the clockwork every " + c + " hours.\n";
        Provenance where = switch (d % 3) {
          case 0 -> Provenance.pages(c + 1, c + 1);
          case 1 -> Provenance.times(c * 1000L, c * 1000L + 999, "KEEPER " + d);
          default -> Provenance.lines(c * 10 + 1, c * 10 + 9, "Lamp.rotate");
        };
        list.add(QueryFixture.chunk(c, text, where, 0));
      }
      chunks += n;
      docs.add(QueryFixture.write(archive, "dir/doc" + d + (d % 2 == 0 ? ".pdf" : ".txt"),
          d % 2 == 0 ? "application/pdf" : "text/plain", d % 4 == 0 ? null : "Title \"" + d + "\"",
          d % 2 == 0 ? 3 : null, list, null));
    }
    assertThat(chunks).isEqualTo(113);
  }

  @AfterEach
  void tearDown() throws Exception {
    archive.close();
  }

  @Test
  void aStuffedPromptCountsExactlyAsTheWholeRenderedPrompt() throws IOException {
    PromptTokens tokens = new PromptTokens(QWEN3, archive.reader(), archive.tokenCounts());
    Plan plan = stuffPlan();
    assertThat(plan.documents()).hasSize(14);
    AssembledPrompt prompt = new PromptAssembler(archive.reader()).assemble(plan, QUESTION, null);

    long whole = RenderedChatMl.qwen3Tokens(prompt);
    assertThat(tokens.stuffed(plan.documents(), QUESTION, null)).isEqualTo(whole);
    assertThat(tokens.of(prompt.messages())).isEqualTo(whole);
    assertThat(archive.tokenCounts().get("qwen3", PromptTokens.LAYOUT, docs)).hasSize(14);


    assertThat(archive.delete(docs.get(0).id())).isTrue();
    Plan moved = stuffPlan();
    assertThat(moved.documents()).hasSize(13);
    assertThat(new PromptTokens(QWEN3, archive.reader(), archive.tokenCounts()).stuffed(moved.documents(), QUESTION,
        null)).as("stored first-place counts moved to other places: other labels and citation numbers")
        .isEqualTo(RenderedChatMl.qwen3Tokens(new PromptAssembler(archive.reader()).assemble(moved, QUESTION, null)));
  }

  @Test
  void theConversationSoFarIsCountedToo() throws IOException {
    PromptTokens tokens = new PromptTokens(QWEN3, archive.reader(), archive.tokenCounts());
    String conversation = PromptLayout.conversation(List.of(new String[] {"user", "Who kept the light?"},
        new String[] {"assistant", "Alice did [C3].\n\nShe wound it."}));
    Plan plan = stuffPlan();
    AssembledPrompt prompt = new PromptAssembler(archive.reader()).assemble(plan, QUESTION, conversation);
    assertThat(tokens.stuffed(plan.documents(), QUESTION, conversation)).isEqualTo(RenderedChatMl.qwen3Tokens(prompt));
    assertThat(tokens.stuffed(plan.documents(), QUESTION, conversation))
        .isGreaterThan(tokens.stuffed(plan.documents(), QUESTION, null));
  }

  @Test
  void storedCountsAreUsedWithoutReadingTheTextAgainAndGoWithTheirVersion() {
    PromptTokens tokens = new PromptTokens(QWEN3, archive.reader(), archive.tokenCounts());
    assertThat(tokens.prepare(docs)).isEqualTo(14);
    assertThat(tokens.prepare(docs)).isZero();
    Document first = docs.get(0);
    Map<String, Counts> stored =
        archive.tokenCounts().get("qwen3", PromptTokens.LAYOUT, List.of(first));
    assertThat(stored.get(ChunkId.versionKey(first.id(), first.version())).document()).isPositive();

    assertThat(archive.delete(first.id())).isTrue();
    assertThat(tokens.purgeOrphans()).isEqualTo(1);
    assertThat(new PromptTokens(QWEN3, archive.reader(), archive.tokenCounts()).prepare(docs.subList(1, 14)))
        .as("a fresh instance finds the rest in the store").isZero();
  }

  @Test
  void tokenizersThatGroupDigitsAreRefused() {
    assertThatThrownBy(() -> new PromptTokens(TokenCounters.named("cl100k_base"), archive.reader(),
        archive.tokenCounts())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cl100k_base");
  }

  private Plan stuffPlan() {
    return QueryFixture.planner(archive, QueryFixture.embedder(), PlannerSettings.DEFAULT)
        .plan(new PlanRequest(QUESTION, SearchFilter.collection(COLLECTION), Mode.STUFF, null),
            QueryFixture.profile(1_000_000, 1000, 8000));
  }
}
