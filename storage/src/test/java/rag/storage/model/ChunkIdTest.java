package rag.storage.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkIdTest {
  @Test
  void roundTripsThroughItsWireForm() {
    ChunkId id = new ChunkId("doc-7f3a", 3, 12);
    assertThat(id.toString()).isEqualTo("doc-7f3a:3:12").isEqualTo(ChunkId.of("doc-7f3a", 3, 12));
    assertThat(ChunkId.parse("doc-7f3a:3:12")).contains(id);
    assertThat(id.documentVersion()).isEqualTo(ChunkId.Version.parse("doc-7f3a:3"));
    assertThat(id.documentVersion().toString()).isEqualTo(ChunkId.versionKey("doc-7f3a", 3));
  }

  @Test
  void versionAndOrdinalAreReadFromTheRight() {
    assertThat(ChunkId.parse("a:b:2:5")).contains(new ChunkId("a:b", 2, 5));
    assertThat(ChunkId.Version.parse("a:b:2")).isEqualTo(new ChunkId.Version("a:b", 2));
  }

  @Test
  void anythingElseIsNotAChunkId() {
    for (String bad : new String[] {null, "", "doc", "doc:1", ":1:2", "doc::2", "doc:1:", "doc:x:2", "doc:1:-2",
        "doc:1:99999999999", "doc:+1:2"}) {
      assertThat(ChunkId.parse(bad)).as(String.valueOf(bad)).isEmpty();
    }
    assertThatThrownBy(() -> ChunkId.Version.parse("doc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'doc'");
  }
}
