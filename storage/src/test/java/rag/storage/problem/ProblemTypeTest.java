package rag.storage.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProblemTypeTest {

  @Test
  void everyTypeHasItsOwnStableUriAndATitle() {
    assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::uri)).doesNotHaveDuplicates()
        .allMatch(uri -> uri.matches("/problems/[a-z]+(-[a-z]+)*"));
    assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::title)).allMatch(t -> !t.isBlank());
    // URIs are stored in job files and read by clients: these must never change
    assertThat(ProblemType.COLLECTION_DELETED.uri()).isEqualTo("/problems/collection-deleted");
    assertThat(ProblemType.UNSUPPORTED_TYPE.uri()).isEqualTo("/problems/unsupported-type");
    assertThat(ProblemType.PARSE_TIMEOUT.uri()).isEqualTo("/problems/parse-timeout");
    assertThat(ProblemType.HOSTILE_INPUT.uri()).isEqualTo("/problems/hostile-input");
  }

  @Test
  void statusesAreErrorsAndOnlyUnavailableOrRateLimitedOnesSayWhenToRetry() {
    for (ProblemType type : ProblemType.values()) {
      assertThat(type.status()).as(type.name()).isBetween(400, 599);
      if (type.retryAfterSeconds().isPresent()) {
        // 507: a full disk clears only when an operator frees space; the header says when to look again
        assertThat(type.status()).as(type.name()).isIn(429, 503, 507);
      }
    }
    assertThat(ProblemType.RATE_LIMITED.retryAfterSeconds()).hasValue(1);
    assertThat(ProblemType.QUEUE_FULL.retryAfterSeconds()).hasValue(30);
    assertThat(ProblemType.EVAL_QUEUE_FULL.retryAfterSeconds()).hasValue(60);
    assertThat(ProblemType.MODEL_REFUSED.retryAfterSeconds()).isEmpty();
    assertThat(ProblemType.OVERLOADED.retryAfterSeconds()).hasValue(2);
    assertThat(ProblemType.STOPPING.retryAfterSeconds()).hasValue(5);
  }

  @Test
  void aUriLeadsBackToItsType() {
    for (ProblemType type : ProblemType.values()) {
      assertThat(ProblemType.ofUri(type.uri())).hasValue(type);
      assertThat(type.is(type.uri())).isTrue();
    }
    assertThat(ProblemType.ofUri("/problems/model-failed")).isEmpty();
    assertThat(ProblemType.ofUri(null)).isEmpty();
  }
}
