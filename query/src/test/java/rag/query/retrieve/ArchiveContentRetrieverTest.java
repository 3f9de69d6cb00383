package rag.query.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rag.query.QueryFixture.COLLECTION;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.AugmentationResult;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.injector.DefaultContentInjector;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.QueryFixture;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

/** The archive behind LangChain4j's ContentRetriever, over a real archive and in LangChain4j's own augmentor. */
class ArchiveContentRetrieverTest {
  private static final Embedder EMBEDDER = QueryFixture.embedder();

  @TempDir
  Path dir;
  Archive archive;
  List<Document> docs; // pdf, vtt, code
  ChunkSearch search;

  @BeforeEach
  void setUp() {
    archive = QueryFixture.open(dir, EMBEDDER);
    docs = QueryFixture.library(archive, EMBEDDER);
    search = new ChunkSearch(new HybridRetriever(archive, EMBEDDER, 60, 0.9), archive.reader(), 100);
  }

  @AfterEach
  void tearDown() throws Exception {
    archive.close();
  }

  private ArchiveContentRetriever.Builder library() {
    return ArchiveContentRetriever.builder().search(search).scope(SearchFilter.collection(COLLECTION));
  }

  @Test
  void eachContentIsAChunkWithItsDocumentProvenanceAndScore() {
    ContentRetriever retriever = library().build();
    List<Content> contents = retriever.retrieve(Query.from("How often did the foghorn sound?"));
    assertThat(contents).hasSize(4);

    Content first = contents.get(0);
    Metadata m = first.textSegment().metadata();
    assertThat(first.textSegment().text())
        .isEqualTo("ALICE: We trimmed the wicks at dusk.\nBOB: The foghorn sounded every thirty seconds.");
    assertThat(m.getString(ArchiveContentRetriever.DOCUMENT_ID)).isEqualTo(docs.get(1).id());
    assertThat(m.getInteger(ArchiveContentRetriever.DOCUMENT_VERSION)).isEqualTo(1);
    assertThat(m.getString(ArchiveContentRetriever.SOURCE)).isEqualTo("talks/keeper.vtt");
    assertThat(m.getString(ArchiveContentRetriever.TITLE)).isEqualTo("Interview with a keeper");
    assertThat(m.getString(ArchiveContentRetriever.MEDIA_TYPE)).isEqualTo("text/vtt");
    assertThat(m.getString(ArchiveContentRetriever.COLLECTION)).isEqualTo(COLLECTION);
    assertThat(m.getLong(ArchiveContentRetriever.START_MS)).isEqualTo(1_000L);
    assertThat(m.getLong(ArchiveContentRetriever.END_MS)).isEqualTo(9_500L);
    assertThat(m.containsKey(ArchiveContentRetriever.PAGE)).isFalse();
    assertThat(m.containsKey(ArchiveContentRetriever.LINE_START)).isFalse();
    assertThat(m.getInteger(ArchiveContentRetriever.RANK)).isEqualTo(1);
    assertThat(m.getString(ArchiveContentRetriever.RETRIEVER)).isEqualTo("hybrid");
    double score = m.getDouble(ArchiveContentRetriever.SCORE);
    assertThat(score).isPositive();
    assertThat(first.metadata()).containsEntry(ContentMetadata.SCORE, score)
        .containsEntry(ContentMetadata.EMBEDDING_ID, m.getString(ArchiveContentRetriever.CHUNK_ID));
    assertThat(contents).extracting(c -> c.textSegment().metadata().getDouble(ArchiveContentRetriever.SCORE))
        .isSortedAccordingTo((a, b) -> Double.compare(b, a));

    Metadata code = library().retriever(RetrieverKind.BM25).build().retrieve(Query.from("rotationSeconds")).get(0)
        .textSegment().metadata();
    assertThat(code.getString(ArchiveContentRetriever.SOURCE)).isEqualTo("src/Lamp.java");
    assertThat(code.getInteger(ArchiveContentRetriever.LINE_START)).isEqualTo(1);
    assertThat(code.getInteger(ArchiveContentRetriever.LINE_END)).isEqualTo(5);
    assertThat(code.getString(ArchiveContentRetriever.SECTION)).isEqualTo("Lamp");
    assertThat(code.containsKey(ArchiveContentRetriever.TITLE)).as("the file has no title").isFalse();
    assertThat(code.getString(ArchiveContentRetriever.RETRIEVER)).isEqualTo("bm25");

    Metadata page = library().retriever(RetrieverKind.DENSE).build()
        .retrieve(Query.from("When was the beacon tower constructed?")).get(0).textSegment().metadata();
    assertThat(page.getString(ArchiveContentRetriever.SOURCE)).isEqualTo("history/lighthouse.pdf");
    assertThat(page.getInteger(ArchiveContentRetriever.PAGE)).isEqualTo(1);
    assertThat(page.getInteger(ArchiveContentRetriever.PAGE_END)).isEqualTo(1);
    assertThat(page.toMap()).as("strings, for DefaultContentInjector").containsEntry(ArchiveContentRetriever.PAGE, "1");
    assertThat(page.getString(ArchiveContentRetriever.TITLE)).isEqualTo("The Point Reyes Light");
  }

  @Test
  void maxResultsAndTheScopeBoundWhatIsRetrieved() {
    assertThat(library().maxResults(2).build().retrieve(Query.from("lighthouse lens fog"))).hasSize(2);
    List<Content> pdfOnly = ArchiveContentRetriever.builder().search(search)
        .scope(new SearchFilter(COLLECTION, null, Set.of("application/pdf"), null)).build()
        .retrieve(Query.from("lighthouse keeper foghorn lamp"));
    assertThat(pdfOnly).isNotEmpty().allSatisfy(c -> assertThat(c.textSegment().metadata()
        .getString(ArchiveContentRetriever.SOURCE)).isEqualTo("history/lighthouse.pdf"));
  }

  @Test
  void aBadConfigurationIsRefusedWhenBuilt() {
    assertThatThrownBy(() -> library().maxResults(0).build()).hasMessage("illegal maxResults 0, must be in 1..200");
    assertThatThrownBy(() -> library().maxResults(201).build()).hasMessage("illegal maxResults 201, must be in 1..200");
    assertThatThrownBy(() -> ArchiveContentRetriever.builder().search(search).scope(SearchFilter.all()).build())
        .hasMessage("a search's scope must name a collection");
    assertThatThrownBy(() -> ArchiveContentRetriever.builder().scope(SearchFilter.collection(COLLECTION)).build())
        .isInstanceOf(NullPointerException.class).hasMessage("search");
  }

  /** With metadata values of other types than String, DefaultContentInjector failed ("cannot be returned as a String"). */
  @Test
  void langChain4jsRetrievalAugmentorInjectsTheChunksWithTheirSourceAndPage() {
    DefaultRetrievalAugmentor augmentor = DefaultRetrievalAugmentor.builder()
        .contentRetriever(library().retriever(RetrieverKind.BM25).maxResults(1).build())
        .contentInjector(DefaultContentInjector.builder()
            .metadataKeysToInclude(List.of(ArchiveContentRetriever.SOURCE, ArchiveContentRetriever.PAGE)).build())
        .build();
    UserMessage question = UserMessage.from("When was the lighthouse built in 1870?");
    AugmentationResult result = augmentor.augment(new AugmentationRequest(question,
        dev.langchain4j.rag.query.Metadata.from(question, "memory-1", List.of())));
    assertThat(result.contents()).hasSize(1);
    String prompt = ((UserMessage) result.chatMessage()).singleText();
    assertThat(prompt).startsWith("When was the lighthouse built in 1870?")
        .contains("The lighthouse at Point Reyes was built in 1870.")
        .contains("source: history/lighthouse.pdf").contains("page: 1");
  }
}
