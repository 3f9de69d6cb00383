package rag.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import rag.app.eval.EvalQueueFullException;
import rag.ingest.IngestService;
import rag.query.admission.OverloadedException;
import rag.query.generate.ModelException;
import rag.storage.catalog.StorageException;
import rag.storage.embed.EmbeddingException;
import rag.storage.problem.InvalidInputException;

/** The one mapping from failures to problems, and the HTTP answer made of a problem. */
class ProblemsTest {

  @Test
  void domainFailuresMapToTheirRegistryTypes() {
    assertType(new InvalidInputException("illegal topK 0"), "/problems/bad-request", 400);
    assertType(new IngestService.QueueFullException(7), "/problems/queue-full", 503);
    assertType(new EvalQueueFullException(2), "/problems/eval-queue-full", 503);
    assertType(new OverloadedException("model:qwen3", "busy"), "/problems/overloaded", 503);
    assertType(new java.io.UncheckedIOException(new java.io.IOException("No space left on device")),
        "/problems/insufficient-storage", 507);
    assertType(new java.util.concurrent.CancellationException("gone"), "/problems/client-closed", 499);
    assertType(new IngestService.ForbiddenPathException("not under a root"), "/problems/forbidden-path", 403);
    assertType(new ModelException(ModelException.Kind.TIMEOUT, null, null, "slow", null), "/problems/model-timeout", 503);
    assertType(new ModelException(ModelException.Kind.REFUSED, 400, "too long", "refused", null),
        "/problems/model-refused", 502);
    assertType(new EmbeddingException(EmbeddingException.Failure.UNREACHABLE, "down"),
        "/problems/embedding-unavailable", 503);
    assertType(new EmbeddingException(EmbeddingException.Failure.UNAUTHORIZED, "key"), "/problems/embedding-failed", 502);
    assertType(new NotFoundException(), "/problems/not-found", 404);
  }

  @Test
  void faultsOfTheServiceNeverShowTheirClassOrMessage() {
    for (Throwable bug : new Throwable[] {new IllegalArgumentException("java.lang.String cannot be null"),
        new NullPointerException("Cannot invoke \"rag.Foo.bar()\""), new OutOfMemoryError("Java heap space")}) {
      Problem p = Problems.of(bug, "/api/x");
      assertThat(p.type()).isEqualTo("/problems/internal-error");
      assertThat(p.status()).isEqualTo(500);
      assertThat(p.detail()).matches("unexpected error \\(error id [0-9a-f-]{36}, see the server log\\)");
    }
    Problem storage = Problems.of(new StorageException("org.sqlite.SQLiteException: [SQLITE_BUSY]"), null);
    assertThat(storage.type()).isEqualTo("/problems/storage-unavailable");
    assertThat(storage.detail()).doesNotContain("SQLite").contains("error id");
  }

  @Test
  void theHttpAnswerSaysWhenToRetryWhereTheTypeDoes() throws Exception {
    ProblemMapper mapper = new ProblemMapper();
    mapper.json = new ObjectMapper();
    Response queue = mapper.respond(Problems.of(new IngestService.QueueFullException(7), "/api/c"));
    assertThat(queue.getStatus()).isEqualTo(503);
    assertThat(queue.getHeaderString("Retry-After")).isEqualTo("30");
    Response evals = mapper.respond(Problems.of(new EvalQueueFullException(2), "/api/evals"));
    assertThat(evals.getHeaderString("Retry-After")).isEqualTo("60");
    Response refused = mapper.respond(Problems.of(new ModelException(ModelException.Kind.REFUSED, 400, null, "no",
        null), "/api/q"));
    assertThat(refused.getStatus()).isEqualTo(502);
    assertThat(refused.getHeaderString("Retry-After")).isNull();
    assertThat(refused.getMediaType().toString()).isEqualTo("application/problem+json");
    assertThat(new ObjectMapper().readTree((String) refused.getEntity()).get("title").asText())
        .isEqualTo("Model server refused the prompt");
  }

  private static void assertType(Throwable failure, String type, int status) {
    Problem p = Problems.of(failure, "/api/somewhere");
    assertThat(p.type()).as(failure.toString()).isEqualTo(type);
    assertThat(p.status()).as(failure.toString()).isEqualTo(status);
    assertThat(p.instance()).isEqualTo("/api/somewhere");
    assertThat(p.detail()).isNotBlank();
  }
}
