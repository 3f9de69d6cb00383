package rag.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.ingest.parse.FailureKind;

/** Real zip and tar files, written by the test, including hostile ones. */
class ArchiveExpanderTest {
  @TempDir
  Path dir;

  private final Map<String, String> members = new LinkedHashMap<>();
  private final List<String> refusals = new ArrayList<>();
  private final ArchiveExpander.MemberSink sink = new ArchiveExpander.MemberSink() {
    @Override
    public void member(String path, InputStream content) throws IOException {
      members.put(path, new String(content.readAllBytes(), StandardCharsets.UTF_8));
    }

    @Override
    public void refused(String path, IntakeRefusal refusal) {
      refusals.add(path + ": " + refusal.kind() + ": " + refusal.getMessage());
    }
  };

  static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return file;
  }

  @Test
  void zipMembersKeepTheirPathsAndHostileNamesAreRefusedAlone() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("docs/", new byte[0]);
    entries.put("docs/a.txt", "alpha".getBytes());
    entries.put("../../etc/passwd", "evil".getBytes());
    entries.put("/abs/path.txt", "evil".getBytes());
    entries.put("__MACOSX/docs/._a.txt", "meta".getBytes());
    entries.put("./docs//b.md", "# beta".getBytes());
    Path z = zip(dir.resolve("upload.zip"), entries);

    assertThat(ArchiveExpander.formatOf("upload.zip", z)).isEqualTo(ArchiveExpander.Format.ZIP);
    new ArchiveExpander(IntakeLimits.DEFAULT).expand(z, ArchiveExpander.Format.ZIP, sink);

    assertThat(members).containsExactly(Map.entry("docs/a.txt", "alpha"), Map.entry("docs/b.md", "# beta"));
    assertThat(refusals).hasSize(2);
    assertThat(refusals.get(0)).startsWith("../../etc/passwd: HOSTILE").contains("'..'");
    assertThat(refusals.get(1)).startsWith("/abs/path.txt: HOSTILE").contains("absolute");
  }

  @Test
  void zipBombIsRefusedByRatioAndBySize() throws Exception {
    Path bomb = zip(dir.resolve("bomb.zip"), Map.of("zeros.txt", new byte[50_000_000]));
    assertThat(Files.size(bomb)).isLessThan(100_000);
    assertThatThrownBy(() -> new ArchiveExpander(IntakeLimits.DEFAULT).expand(bomb, ArchiveExpander.Format.ZIP, sink))
        .isInstanceOf(ArchiveExpander.BombDetected.class).hasMessageContaining("zip bomb");

    IntakeLimits small = new IntakeLimits(1 << 20, 10, 1000, 1_000_000);
    Path plain = zip(dir.resolve("plain.zip"), Map.of("a.txt", "x".repeat(5000).getBytes()));
    assertThatThrownBy(() -> new ArchiveExpander(small).expand(plain, ArchiveExpander.Format.ZIP, sink))
        .isInstanceOf(ArchiveExpander.BombDetected.class).hasMessageContaining("more than 1000 bytes");
  }

  @Test
  void tooManyEntriesRefuseTheArchive() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      entries.put("f" + i + ".txt", "x".getBytes());
    }
    Path z = zip(dir.resolve("many.zip"), entries);
    IntakeLimits limits = new IntakeLimits(1 << 20, 10, 1 << 30, 1000);
    assertThatThrownBy(() -> new ArchiveExpander(limits).expand(z, ArchiveExpander.Format.ZIP, sink))
        .isInstanceOf(IntakeRefusal.class).hasMessageContaining("more than 10 entries")
        .satisfies(e -> assertThat(((IntakeRefusal) e).kind()).isEqualTo(FailureKind.HOSTILE));
  }

  @Test
  void tarGzMembersAndLinksAreHandled() throws Exception {
    Path tgz = dir.resolve("upload.tar.gz");
    try (OutputStream raw = Files.newOutputStream(tgz);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw))) {
      byte[] text = "gamma".getBytes();
      TarArchiveEntry e = new TarArchiveEntry("src/c.txt");
      e.setSize(text.length);
      tar.putArchiveEntry(e);
      tar.write(text);
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("src/link", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    assertThat(ArchiveExpander.formatOf("upload.tar.gz", tgz)).isEqualTo(ArchiveExpander.Format.TAR_GZ);
    new ArchiveExpander(IntakeLimits.DEFAULT).expand(tgz, ArchiveExpander.Format.TAR_GZ, sink);
    assertThat(members).containsExactly(Map.entry("src/c.txt", "gamma"));
    assertThat(refusals).singleElement().asString().contains("is a link");
  }

  @Test
  void aFileNamedZipThatIsNotOneIsNotAnArchive() throws Exception {
    Path fake = Files.writeString(dir.resolve("fake.zip"), "just text");
    assertThat(ArchiveExpander.formatOf("fake.zip", fake)).isNull();
  }
}
