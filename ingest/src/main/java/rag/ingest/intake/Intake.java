package rag.ingest.intake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import rag.ingest.parse.FailureKind;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.jobs.JobStore;
import rag.storage.model.CollectionNames;

/**
 * Accepts uploads: spools every file (fsynced), expands zip and tar archives into member files,
 * refuses what breaks a limit with a per-file error, and records the job durably. When
 * {@link #accept} returns, every accepted file survives a crash.
 */
public final class Intake {
  private final Spool spool;
  private final ArchiveExpander expander;
  private final IntakeLimits limits;
  private final JobStore jobs;

  public Intake(Spool spool, IntakeLimits limits, JobStore jobs) {
    this.spool = spool;
    this.expander = new ArchiveExpander(limits);
    this.limits = limits;
    this.jobs = jobs;
  }

  public Spool spool() {
    return spool;
  }

  public IngestJob accept(String collection, List<Upload> uploads) throws IOException {
    IngestJob job = prepare(collection, uploads);
    record(job);
    return job;
  }

  /** Spools the uploads (archives expanded) into a job that is not recorded yet: {@link #record} or {@link #discard}. */
  public IngestJob prepare(String collection, List<Upload> uploads) throws IOException {
    CollectionNames.requireValidName(collection);
    String jobId = UUID.randomUUID().toString();
    List<JobFile> files = new ArrayList<>();
    try {
      for (Upload upload : uploads) {
        acceptOne(jobId, upload, files);
      }
      spool.sync(jobId, files.stream().map(JobFile::spoolFile).filter(Objects::nonNull).toList());
    } catch (IOException | RuntimeException e) {
      // a disk that filled up midway, say: nothing of the refused upload stays behind
      try {
        spool.deleteJob(jobId);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    Instant now = Instant.now();
    return new IngestJob(jobId, collection, now, now, files);
  }

  /** Makes a prepared job durable: from now on its files are ingested, after a restart too. */
  public void record(IngestJob job) {
    jobs.create(job);
  }

  /** Deletes the spooled bytes of a prepared job that will not be recorded. */
  public void discard(IngestJob job) {
    for (JobFile f : job.files()) {
      if (f.spoolFile() != null) {
        spool.delete(f.spoolFile());
      }
    }
  }

  private void acceptOne(String jobId, Upload upload, List<JobFile> files) throws IOException {
    String name = upload.name() == null || upload.name().isBlank() ? "unnamed" : upload.name();
    String sourcePath = SourcePaths.join(upload.pathPrefix(), name);
    long size = Files.size(upload.file());
    if (sourcePath == null) {
      files.add(refusedFile(jobId, files.size(), name, name, size,
          new IntakeRefusal(FailureKind.HOSTILE, "the file name or path '" + name + "' is not a safe relative path")));
      return;
    }
    if (size == 0) {
      files.add(refusedFile(jobId, files.size(), name, sourcePath, 0, new IntakeRefusal(FailureKind.EMPTY,
          "the file is empty (0 bytes)")));
      return;
    }
    ArchiveExpander.Format format = ArchiveExpander.formatOf(name, upload.file());
    if (format != null) {
      expandArchive(jobId, upload, name, sourcePath, format, size, files);
      return;
    }
    if (size > limits.maxFileBytes()) {
      files.add(refusedFile(jobId, files.size(), name, sourcePath, size, new IntakeRefusal(FailureKind.TOO_LARGE,
          "the file has " + size + " bytes, more than the limit of " + limits.maxFileBytes()
              + " bytes (rag.ingest.max-file-size)")));
      return;
    }
    int seq = files.size();
    try (InputStream in = Files.newInputStream(upload.file())) {
      SpooledFile spooled = spool.save(jobId, seq, in, limits.maxFileBytes());
      files.add(JobFile.queued(jobId, seq, name, sourcePath, spooled.relativePath(), spooled.sizeBytes(),
          spooled.sha256()));
    } catch (IntakeRefusal r) {
      files.add(refusedFile(jobId, seq, name, sourcePath, size, r));
    }
  }

  private void expandArchive(String jobId, Upload upload, String name, String archivePath,
      ArchiveExpander.Format format, long size, List<JobFile> files) throws IOException {
    String memberPrefix = SourcePaths.join(upload.pathPrefix(), "");
    List<JobFile> members = new ArrayList<>();
    int firstSeq = files.size();
    try {
      expander.expand(upload.file(), format, new ArchiveExpander.MemberSink() {
        @Override
        public void member(String path, InputStream content) throws IOException, IntakeRefusal {
          int seq = firstSeq + members.size();
          String memberPath = SourcePaths.join(memberPrefix, path);
          try {
            SpooledFile spooled = spool.save(jobId, seq, content, limits.maxFileBytes());
            if (spooled.sizeBytes() == 0) {
              spool.delete(spooled.relativePath());
              members.add(refusedFile(jobId, seq, path, memberPath, 0,
                  new IntakeRefusal(FailureKind.EMPTY, "the file is empty (0 bytes)")));
            } else {
              members.add(JobFile.queued(jobId, seq, path, memberPath, spooled.relativePath(), spooled.sizeBytes(),
                  spooled.sha256()));
            }
          } catch (IntakeRefusal r) {
            members.add(refusedFile(jobId, seq, path, memberPath, 0, r));
          }
        }

        @Override
        public void refused(String path, IntakeRefusal refusal) {
          int seq = firstSeq + members.size();
          members.add(refusedFile(jobId, seq, path, path, 0, refusal));
        }
      });
      files.addAll(members);
    } catch (ArchiveExpander.BombDetected e) {
      discard(members);
      files.add(refusedFile(jobId, firstSeq, name, archivePath, size, new IntakeRefusal(FailureKind.HOSTILE, e.getMessage())));
    } catch (IntakeRefusal r) {
      discard(members);
      files.add(refusedFile(jobId, firstSeq, name, archivePath, size, r));
    } catch (IOException e) {
      discard(members);
      files.add(refusedFile(jobId, firstSeq, name, archivePath, size, new IntakeRefusal(FailureKind.CORRUPT,
          "the archive cannot be read: " + e.getMessage())));
    }
  }

  private void discard(List<JobFile> members) {
    for (JobFile m : members) {
      if (m.spoolFile() != null) {
        spool.delete(m.spoolFile());
      }
    }
  }

  static JobFile refusedFile(String jobId, int seq, String name, String sourcePath, long size, IntakeRefusal r) {
    return JobFile.refused(jobId, seq, name, sourcePath, size, r.kind().error(r.getMessage()));
  }
}
