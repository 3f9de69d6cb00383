package rag.eval.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import rag.eval.ProgressListener;
import rag.query.QueryPipeline;
import rag.query.assemble.PromptLayout;
import rag.query.generate.ModelClient;
import rag.query.generate.ModelException;
import rag.query.generate.PromptMessage;
import rag.query.profile.ModelProfile;
import rag.storage.catalog.CatalogReader;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;

/**
 * Drafts a question set from a collection with a model, as RAGAS' test-set generation does in its simplest form:
 * chunks are sampled across the collection's documents (a seeded shuffle, one chunk per document in turn, chunks of at
 * least {@value #MIN_TOKENS} tokens first), and for each the model writes one question the passage answers and its
 * short answer. The expected passage is that chunk's place (its source with its pages, times or lines, or a phrase of
 * its text when it has none). Every question is marked {@code drafted}: a person should check and edit it before the
 * set's numbers are trusted. A reply that is not the JSON asked for is skipped with the reason, and another chunk is
 * tried, up to half as many again as asked.
 */
public final class QuestionDrafter {
  static final int MIN_TOKENS = 40;
  static final String INSTRUCTIONS = "You write evaluation questions for a search system over a document archive."
      + " Given one passage, write one question that the passage answers, as a person who has not read it would ask"
      + " it (do not copy its sentences, do not mention 'the passage'), and the short answer the passage gives."
      + " Reply with JSON only: {\"question\": \"...\", \"answer\": \"...\"}";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PASSAGE_CHARS = 6_000;

  private final CatalogReader catalog;
  private final ModelClient client;
  private final ModelProfile profile;

  public QuestionDrafter(CatalogReader catalog, ModelClient client, ModelProfile profile) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.client = Objects.requireNonNull(client, "client");
    this.profile = Objects.requireNonNull(profile, "profile");
    if (!profile.hasModel()) {
      throw new IllegalArgumentException("drafting questions needs a model: profile '" + profile.name()
          + "' has no base URL");
    }
  }

  /** What drafting made: the questions, and why each chunk that gave none was skipped. */
  public record Drafted(List<QaQuestion> questions, List<String> skipped, int documents) {}

  /** About {@code count} drafted questions over the collection's published documents (fewer when it is small). */
  public Drafted draft(String collection, int count, long seed, ProgressListener progress) {
    List<Document> documents = catalog.list(collection, 0, 100_000).stream().filter(d -> d.chunkCount() > 0)
        .toList();
    List<Candidate> candidates = sample(documents, count + count / 2, new SplittableRandom(seed));
    List<QaQuestion> questions = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Candidate c : candidates) {
      if (questions.size() == count) {
        break;
      }
      String where = c.document().sourcePath() + " " + PromptLayout.where(c.chunk().provenance());
      try {
        Draft draft = ask(c);
        questions.add(new QaQuestion(String.format(Locale.ROOT, "drafted-%03d", questions.size() + 1),
            draft.question(), List.of(expected(c)), draft.answer(), true));
      } catch (DraftException e) {
        skipped.add(where.strip() + ": " + e.getMessage());
      }
      progress.progress(questions.size(), count);
    }
    progress.progress(count, count);
    return new Drafted(questions, skipped, documents.size());
  }

  private record Candidate(Document document, Chunk chunk) {}

  private record Draft(String question, String answer) {}

  private static final class DraftException extends Exception {
    DraftException(String message) {
      super(message);
    }
  }

  /** Chunks across documents: documents in a seeded order, one chunk of each in turn, long enough chunks first. */
  private List<Candidate> sample(List<Document> documents, int wanted, SplittableRandom random) {
    List<Document> order = new ArrayList<>(documents);
    Collections.shuffle(order, new java.util.Random(random.nextLong()));
    Map<String, List<Chunk>> pools = new HashMap<>();
    for (Document d : order) {
      List<Chunk> chunks = new ArrayList<>(catalog.chunks(d.id(), d.version()));
      Collections.shuffle(chunks, new java.util.Random(random.nextLong()));
      chunks.sort((a, b) -> Boolean.compare(a.tokenCount() < MIN_TOKENS, b.tokenCount() < MIN_TOKENS));
      pools.put(d.id(), chunks);
    }
    List<Candidate> sample = new ArrayList<>();
    boolean any = true;
    while (sample.size() < wanted && any) {
      any = false;
      for (Document d : order) {
        List<Chunk> pool = pools.get(d.id());
        if (!pool.isEmpty() && sample.size() < wanted) {
          sample.add(new Candidate(d, pool.remove(0)));
          any = true;
        }
      }
    }
    return sample;
  }

  private Draft ask(Candidate c) throws DraftException {
    String text = c.chunk().text();
    String passage = text.length() <= PASSAGE_CHARS ? text : text.substring(0, PASSAGE_CHARS);
    String prompt = "Passage from " + c.document().sourcePath() + ":\n<passage>\n" + passage + "\n</passage>";
    String reply;
    try {
      reply = client.generate(QueryPipeline.endpoint(profile), List.of(PromptMessage.system(INSTRUCTIONS),
          PromptMessage.user(prompt)), token -> { }).text();
    } catch (ModelException e) {
      throw new DraftException("the model failed (" + e.kind() + "): " + e.getMessage());
    }
    int open = reply.indexOf('{');
    int close = reply.lastIndexOf('}');
    if (open < 0 || close < open) {
      throw new DraftException("the reply is not the JSON asked for: " + abbreviate(reply));
    }
    JsonNode node;
    try {
      node = JSON.readTree(reply.substring(open, close + 1));
    } catch (IOException e) {
      throw new DraftException("the reply is not the JSON asked for: " + abbreviate(reply));
    }
    String question = node.path("question").asText("").strip();
    String answer = node.path("answer").asText("").strip();
    if (question.isEmpty()) {
      throw new DraftException("the reply has no question: " + abbreviate(reply));
    }
    return new Draft(question, answer.isEmpty() ? null : answer);
  }

  /** The chunk's place: its pages, times or lines; or, when it has none, a phrase from its text. */
  private static ExpectedPassage expected(Candidate c) {
    Provenance at = c.chunk().provenance() == null ? Provenance.NONE : c.chunk().provenance();
    String source = c.document().sourcePath();
    if (at.pageStart() != null) {
      return new ExpectedPassage(source, at.pageStart(), at.pageEnd() == null ? at.pageStart() : at.pageEnd(), null,
          null, null, null, null);
    }
    if (at.startMs() != null) {
      return new ExpectedPassage(source, null, null, at.startMs(), at.endMs() == null ? at.startMs() : at.endMs(),
          null, null, null);
    }
    if (at.lineStart() != null) {
      return new ExpectedPassage(source, null, null, null, null, at.lineStart(),
          at.lineEnd() == null ? at.lineStart() : at.lineEnd(), null);
    }
    return new ExpectedPassage(source, null, null, null, null, null, null, phrase(c.chunk()));
  }

  /** Up to twelve words from the middle of the chunk's own text (past any overlap with the chunk before). */
  private static String phrase(Chunk chunk) {
    String own = chunk.text().substring(Math.min(chunk.overlapChars(), chunk.text().length())).strip();
    String[] words = own.split("\\s+");
    int from = Math.max(0, words.length / 2 - 6);
    return String.join(" ", java.util.Arrays.copyOfRange(words, from, Math.min(words.length, from + 12)));
  }

  private static String abbreviate(String text) {
    String one = text.replaceAll("\\s+", " ").strip();
    return one.length() <= 200 ? one : one.substring(0, 199) + "…";
  }
}
