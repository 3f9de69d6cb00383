package rag.storage.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FileOutcomeTest {

  /** The strings the API returned and ingest_files.outcome holds since before the enum: they must not change. */
  @Test
  void wireNamesAreTheStringsAlreadyStoredAndServed() {
    assertThat(Arrays.stream(FileOutcome.values()).map(FileOutcome::wireName))
        .containsExactly("created", "replaced", "unchanged", "re-embedded", "re-indexed");
    for (FileOutcome outcome : FileOutcome.values()) {
      assertThat(FileOutcome.fromWireName(outcome.wireName())).isSameAs(outcome);
    }
    assertThat(FileOutcome.fromWireName(null)).isNull();
    assertThatThrownBy(() -> FileOutcome.fromWireName("RE_INDEXED"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown file outcome 'RE_INDEXED'");
  }
}
