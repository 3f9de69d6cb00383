package rag.ingest.intake;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import rag.ingest.parse.FailureKind;

/**
 * Expands zip, tar and tar.gz uploads into member files, within {@link IntakeLimits}: entry count,
 * total expanded size, and expansion ratio against the archive's size (zip bombs). A member whose
 * name is absolute or climbs out with {@code ..}, or that is a link, is refused on its own; the
 * other members go on. Directories and macOS metadata ({@code __MACOSX/}, {@code .DS_Store}) are skipped.
 */
public final class ArchiveExpander {

  /** Receives each member in archive order. */
  public interface MemberSink {
    void member(String path, InputStream content) throws IOException, IntakeRefusal;

    void refused(String path, IntakeRefusal refusal);
  }

  public enum Format { ZIP, TAR, TAR_GZ }

  private final IntakeLimits limits;

  public ArchiveExpander(IntakeLimits limits) {
    this.limits = limits;
  }

  /** The archive format of a file, by its name and confirmed by its first bytes; null when it is not one. */
  public static Format formatOf(String name, Path file) throws IOException {
    String lower = name.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".zip") && !lower.endsWith(".tar.gz") && !lower.endsWith(".tgz") && !lower.endsWith(".tar")) {
      return null; // only a name and magic bytes that agree make an archive: no need to open the file
    }
    byte[] head = new byte[512];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    boolean zipMagic = n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    boolean gzipMagic = n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    boolean tarMagic = n >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    if (lower.endsWith(".zip") && zipMagic) {
      return Format.ZIP;
    }
    if ((lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) && gzipMagic) {
      return Format.TAR_GZ;
    }
    if (lower.endsWith(".tar") && tarMagic) {
      return Format.TAR;
    }
    return null;
  }

  /** Expands {@code archive}; throws when the archive as a whole breaks a limit or cannot be read. */
  public void expand(Path archive, Format format, MemberSink sink) throws IOException, IntakeRefusal {
    long archiveSize = Math.max(1, Files.size(archive));
    Budget budget = new Budget(archiveSize);
    if (format == Format.ZIP) {
      try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
        Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
        while (entries.hasMoreElements()) {
          ZipArchiveEntry entry = entries.nextElement();
          if (accept(entry, entry.isUnixSymlink(), sink, budget)) {
            try (InputStream in = zip.getInputStream(entry)) {
              sink.member(normalize(entry.getName()), budget.meter(in));
            }
          }
        }
      }
    } else {
      InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
      try (TarArchiveInputStream tar = new TarArchiveInputStream(
          format == Format.TAR_GZ ? new GzipCompressorInputStream(raw) : raw)) {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          if (accept(entry, entry.isSymbolicLink() || entry.isLink() || !entry.isFile() && !entry.isDirectory(),
              sink, budget)) {
            sink.member(normalize(entry.getName()), budget.meter(new NonClosing(tar)));
          }
        }
      }
    }
  }

  private boolean accept(ArchiveEntry entry, boolean link, MemberSink sink, Budget budget) throws IntakeRefusal {
    String name = entry.getName();
    if (entry.isDirectory() || name.startsWith("__MACOSX/") || name.endsWith("/.DS_Store") || name.equals(".DS_Store")) {
      return false;
    }
    if (++budget.entries > limits.maxArchiveEntries()) {
      throw new IntakeRefusal(FailureKind.HOSTILE, "the archive has more than " + limits.maxArchiveEntries()
          + " entries (rag.ingest.max-archive-entries)");
    }
    if (link) {
      sink.refused(name, new IntakeRefusal(FailureKind.HOSTILE, "archive entry '" + name + "' is a link, not a file"));
      return false;
    }
    String unsafe = unsafeName(name);
    if (unsafe != null) {
      sink.refused(name, new IntakeRefusal(FailureKind.HOSTILE, "archive entry '" + name + "' " + unsafe));
      return false;
    }
    if (entry.getSize() > limits.maxFileBytes()) {
      sink.refused(name, new IntakeRefusal(FailureKind.TOO_LARGE, "archive entry '" + name + "' is larger than"
          + " the limit of " + limits.maxFileBytes() + " bytes (rag.ingest.max-file-size)"));
      return false;
    }
    return true;
  }

  /** Why a member name is unsafe, or null. */
  static String unsafeName(String name) {
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) {
      return "has an absolute path";
    }
    for (String segment : n.split("/")) {
      if (segment.equals("..")) {
        return "climbs out of the archive with '..'";
      }
    }
    if (n.indexOf('\0') >= 0) {
      return "has a NUL character in its name";
    }
    return null;
  }

  private static String normalize(String name) {
    String n = name.replace('\\', '/');
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    return n.replaceAll("/{2,}", "/");
  }

  /** Counts expanded bytes across all members and stops the expansion when a limit is passed. */
  private final class Budget {
    final long archiveSize;
    long expanded;
    int entries;

    Budget(long archiveSize) {
      this.archiveSize = archiveSize;
    }

    InputStream meter(InputStream in) {
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            count(1);
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          if (n > 0) {
            count(n);
          }
          return n;
        }
      };
    }

    void count(long n) throws IOException {
      expanded += n;
      if (expanded > limits.maxExpandedBytes()) {
        throw new BombDetected("the archive expands to more than " + limits.maxExpandedBytes()
            + " bytes (rag.ingest.max-expanded-size)");
      }
      if (expanded > 1_000_000 && expanded / (double) archiveSize > limits.maxCompressionRatio()) {
        throw new BombDetected("the archive expands more than " + (long) limits.maxCompressionRatio()
            + " times its size (rag.ingest.max-compression-ratio): a likely zip bomb");
      }
    }
  }

  /** Thrown from inside a member's stream; {@link Intake} turns it into a refusal of the whole archive. */
  public static final class BombDetected extends IOException {
    BombDetected(String message) {
      super(message);
    }
  }

  private static final class NonClosing extends FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the tar stream goes on to the next entry
    }
  }
}
