package rag.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import rag.app.api.ProblemException;
import rag.storage.problem.ProblemType;

class KeyLimitsTest {
  @Test
  void aBurstIsAdmittedThenTheRateHolds() throws Exception {
    KeyLimits limits = new KeyLimits(20, 3, 100, Long.MAX_VALUE, 10);
    for (int i = 0; i < 3; i++) {
      limits.admit("k").close();
    }
    assertThatThrownBy(() -> limits.admit("k")).isInstanceOfSatisfying(ProblemException.class,
        e -> assertThat(e.type()).isEqualTo(ProblemType.RATE_LIMITED)).hasMessageContaining("3 requests at once");
    limits.admit("other").close(); // keys do not share buckets
    Thread.sleep(120); // 20 per second: two tokens back
    limits.admit("k").close();
  }

  @Test
  void uploadsCountAgainstAnHourlyVolumePerKey() {
    KeyLimits limits = new KeyLimits(1000, 1000, 10, 1000, 10);
    limits.chargeUpload("k", 600);
    limits.chargeUpload("k", 400);
    assertThatThrownBy(() -> limits.chargeUpload("k", 1)).isInstanceOfSatisfying(ProblemException.class,
        e -> assertThat(e.type()).isEqualTo(ProblemType.UPLOAD_QUOTA)).hasMessageContaining("1000 bytes in an hour");
    limits.chargeUpload("other", 1000);
    limits.chargeUpload(null, 1_000_000); // an open service is not limited
    assertThatThrownBy(() -> limits.chargeUpload("k", 1)).hasMessageContaining("upload-bytes-per-hour");
  }

  @Test
  void ingestJobsQueuedOrRunningAreBoundedPerKey() {
    KeyLimits limits = new KeyLimits(1000, 1000, 10, Long.MAX_VALUE, 2);
    Set<String> running = new HashSet<>();
    try (KeyLimits.IngestRoom a = limits.reserveIngestJob("k", running::contains)) {
      a.started("job-a");
      running.add("job-a");
    }
    KeyLimits.IngestRoom b = limits.reserveIngestJob("k", running::contains);
    assertThatThrownBy(() -> limits.reserveIngestJob("k", running::contains))
        .hasMessageContaining("2 ingest jobs queued or running");
    b.close(); // the submission failed: its room is free again
    limits.reserveIngestJob("k", running::contains).started("job-c");
    running.add("job-c");
    assertThatThrownBy(() -> limits.reserveIngestJob("k", running::contains)).hasMessageContaining("ingest jobs");
    running.remove("job-a"); // finished
    limits.reserveIngestJob("k", running::contains).close();
    limits.reserveIngestJob(null, running::contains).close(); // an open service is not limited
  }

  @Test
  void requestsInProgressAreBoundedAndReleasedOnce() {
    KeyLimits limits = new KeyLimits(1000, 1000, 2, Long.MAX_VALUE, 10);
    KeyLimits.Permit first = limits.admit("k");
    KeyLimits.Permit second = limits.admit("k");
    assertThatThrownBy(() -> limits.admit("k")).hasMessageContaining("2 requests in progress");
    first.close();
    first.close(); // a second release must not make room for a third request
    KeyLimits.Permit third = limits.admit("k");
    assertThatThrownBy(() -> limits.admit("k")).hasMessageContaining("in progress");
    second.close();
    third.close();
  }
}
