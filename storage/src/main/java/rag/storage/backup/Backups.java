package rag.storage.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import rag.storage.Archive;

/**
 * A backup is a folder laid out as the data directory it came from, plus {@value #MANIFEST}: every file with its size
 * and SHA-256. {@link #create} takes it while the service runs: the Lucene indexes from snapshots, the catalog
 * database from one read transaction ({@link Archive#snapshotTo}), then the plain files (kept originals,
 * conversations, evaluation runs, the key pepper, uploads still spooled). {@link #restore} checks every checksum
 * first, then fills an empty data directory; the service's next start reconciles the indexes with the catalog
 * ({@link Archive#reconcile()}), which covers whatever was written between the index snapshots and the catalog copy.
 */
public final class Backups {
  public static final String MANIFEST = "manifest.json";
  static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One file of a backup, its path relative to the backup folder (with '/'), its size and its SHA-256. */
  public record Entry(String path, long bytes, String sha256) {}

  /** What a backup holds. */
  public record Manifest(int format, String createdAt, String source, long documents, List<Entry> files) {
    public long totalBytes() {
      return files.stream().mapToLong(Entry::bytes).sum();
    }
  }

  private Backups() {}

  /**
   * Backs up the embedded archive that lives in {@code dataDir} into {@code target}, which must be absent or an
   * empty folder outside the data directory. {@code fileFolders} are folders of plain files under the data
   * directory, copied as they are when present.
   */
  public static Manifest create(Archive archive, Path dataDir, Path target, List<String> fileFolders) {
    Path data = dataDir.toAbsolutePath().normalize();
    Path into = target.toAbsolutePath().normalize();
    if (into.startsWith(data)) {
      throw new BackupException("the backup folder " + into + " is inside the data directory " + data);
    }
    requireEmpty(into, "backup folder");
    try {
      Files.createDirectories(into);
      long documents = archive.reader().collections().stream().mapToLong(c -> c.documentCount()).sum();
      archive.snapshotTo(data, into);
      for (String folder : fileFolders) {
        copyTree(data.resolve(folder), into.resolve(folder));
      }
      Manifest manifest = new Manifest(FORMAT, Instant.now().toString(), data.toString(), documents, entries(into));
      JSON.writeValue(into.resolve(MANIFEST).toFile(), manifest);
      return manifest;
    } catch (IOException | UncheckedIOException e) {
      throw new BackupException("the backup into " + into + " failed: " + e.getMessage(), e);
    }
  }

  /** Reads the manifest and checks every file it lists against its size and checksum. */
  public static Manifest verify(Path backup) {
    Path from = backup.toAbsolutePath().normalize();
    Manifest manifest;
    try {
      manifest = JSON.readValue(from.resolve(MANIFEST).toFile(), Manifest.class);
    } catch (IOException e) {
      throw new BackupException(from + " is not a backup: its " + MANIFEST + " cannot be read (" + e.getMessage()
          + ")", e);
    }
    if (manifest.format() != FORMAT) {
      throw new BackupException("the backup " + from + " has format " + manifest.format() + ", this version reads "
          + FORMAT);
    }
    List<String> bad = new ArrayList<>();
    for (Entry e : manifest.files()) {
      Path file = from.resolve(e.path()).normalize();
      if (!file.startsWith(from)) {
        throw new BackupException("the manifest of " + from + " names a file outside the backup: " + e.path());
      }
      try {
        if (Files.size(file) != e.bytes() || !sha256(file).equals(e.sha256())) {
          bad.add(e.path() + " (changed)");
        }
      } catch (NoSuchFileException missing) {
        bad.add(e.path() + " (missing)");
      } catch (IOException io) {
        bad.add(e.path() + " (" + io.getMessage() + ")");
      }
    }
    if (!bad.isEmpty()) {
      throw new BackupException("the backup " + from + " is damaged: " + bad.size() + " of " + manifest.files().size()
          + " files do not match the manifest: " + String.join(", ", bad.subList(0, Math.min(10, bad.size())))
          + (bad.size() > 10 ? ", ..." : ""));
    }
    return manifest;
  }

  /**
   * Verifies the backup, then copies it into {@code dataDir}, which must be absent or empty: first into a folder
   * beside it, then moved into place, so an interrupted restore leaves no half-filled data directory.
   */
  public static Manifest restore(Path backup, Path dataDir) {
    Manifest manifest = verify(backup);
    Path from = backup.toAbsolutePath().normalize();
    Path data = dataDir.toAbsolutePath().normalize();
    requireEmpty(data, "data directory");
    Path staging = data.resolveSibling(data.getFileName() + ".restoring");
    try {
      deleteTree(staging);
      for (Entry e : manifest.files()) {
        Path to = staging.resolve(e.path());
        Files.createDirectories(to.getParent());
        Files.copy(from.resolve(e.path()), to, StandardCopyOption.COPY_ATTRIBUTES);
      }
      Files.createDirectories(staging);
      if (Files.exists(data)) {
        Files.delete(data); // empty, checked above
      }
      Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE);
      return manifest;
    } catch (IOException e) {
      throw new BackupException("restoring " + from + " into " + data + " failed: " + e.getMessage(), e);
    }
  }

  private static void requireEmpty(Path folder, String what) {
    if (!Files.exists(folder)) {
      return;
    }
    if (!Files.isDirectory(folder)) {
      throw new BackupException("the " + what + " " + folder + " is a file");
    }
    try (Stream<Path> children = Files.list(folder)) {
      if (children.findAny().isPresent()) {
        throw new BackupException("the " + what + " " + folder + " is not empty");
      }
    } catch (IOException e) {
      throw new BackupException("the " + what + " " + folder + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** Copies the regular files under {@code from} (absent: nothing); a file deleted meanwhile is skipped. */
  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          try {
            Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
          } catch (NoSuchFileException gone) {
            // finished and released while the backup ran: not part of it
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
  }

  private static List<Entry> entries(Path root) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
        entries.add(new Entry(root.relativize(f).toString().replace('\\', '/'), Files.size(f), sha256(f)));
      }
    }
    return entries;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
