package rag.ingest.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import rag.ingest.parse.FailureKind;

/**
 * Accepted uploads on disk until they are ingested. {@link #save} returns only after the bytes and
 * the directory entry are fsynced, so an upload acknowledged with 202 survives a crash.
 */
public final class Spool {
  private final Path dir;

  public Spool(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the spool directory " + dir, e);
    }
  }

  /**
   * Copies {@code in} to {@code <jobId>/<seq>}, refusing more than {@code maxBytes}. The stream is
   * read but not closed.
   */
  public SpooledFile save(String jobId, int seq, InputStream in, long maxBytes) throws IOException, IntakeRefusal {
    Path jobDir = dir.resolve(jobId);
    Files.createDirectories(jobDir);
    Path part = jobDir.resolve(seq + ".part");
    MessageDigest sha = sha256();
    long size = 0;
    try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), sha);
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        size += n;
        if (size > maxBytes) {
          throw new IntakeRefusal(FailureKind.TOO_LARGE,
              "the file is larger than the limit of " + maxBytes + " bytes (rag.ingest.max-file-size)");
        }
        out.write(buffer, 0, n);
      }
      out.flush();
      channel.force(true);
    } catch (IntakeRefusal | IOException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    Path target = jobDir.resolve(Integer.toString(seq));
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(jobDir);
    fsyncDirectory(dir);
    return new SpooledFile(dir.relativize(target).toString(), size, HexFormat.of().formatHex(sha.digest()));
  }

  public Path resolve(String relativePath) {
    Path p = dir.resolve(relativePath).normalize();
    if (!p.startsWith(dir)) {
      throw new IllegalArgumentException("spool path escapes the spool: " + relativePath);
    }
    return p;
  }

  /** Whether this spool holds files of the job (it was accepted here and some of its files are not ingested yet). */
  public boolean holdsJob(String jobId) {
    return Files.isDirectory(dir.resolve(jobId));
  }

  /** Removes everything spooled for a job that will not be recorded (its intake failed midway). */
  public void deleteJob(String jobId) {
    Path jobDir = dir.resolve(jobId);
    if (!Files.isDirectory(jobDir)) {
      return;
    }
    try (var files = Files.list(jobDir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(jobDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the spooled files of job " + jobId, e);
    }
  }

  /**
   * Removes a spooled file once its ingestion is final, and its job directory when that is empty.
   * Idempotent: a file or directory already gone (removed before a crash, or by another worker of
   * the same job) is not an error.
   */
  public void delete(String relativePath) {
    try {
      Path p = resolve(relativePath);
      Files.deleteIfExists(p);
      Path parent = p.getParent();
      try (var rest = Files.list(parent)) {
        if (rest.findAny().isEmpty()) {
          Files.deleteIfExists(parent);
        }
      } catch (NoSuchFileException e) {
        // the directory is gone already: removed before a crash, or by another worker of the job
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete spooled file " + relativePath, e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
