package rag.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rag.storage.jobs.FileStatus;

/**
 * What one ingest job did, from its files' final records and the {@link StatusClock}'s times, in
 * seconds from the moment {@code submit} was called: when intake returned (bytes spooled, fsynced,
 * job recorded), when the last file became searchable (or failed), when the last one finished.
 */
record JobNumbers(int files, int done, int failed, long bytes, long chunks, long tokens, double intakeSeconds,
    double searchableSeconds, double finishedSeconds, List<String> failures) {

  private static final Set<FileStatus> PAST_PARSING = Set.of(FileStatus.SEARCHABLE, FileStatus.EMBEDDING,
      FileStatus.DONE, FileStatus.UNCHANGED, FileStatus.FAILED);

  static JobNumbers of(StatusClock clock, String jobId, long submitStart, long submitEnd) {
    int done = 0;
    int failed = 0;
    long bytes = 0;
    long chunks = 0;
    long tokens = 0;
    long lastSearchable = submitEnd;
    long lastFinished = submitEnd;
    List<StatusClock.Track> tracks = clock.tracks(jobId);
    List<String> failures = new ArrayList<>();
    for (StatusClock.Track t : tracks) {
      bytes += t.latest().sizeBytes();
      if (t.latest().status() == FileStatus.FAILED) {
        failed++;
        failures.add(t.latest().sourcePath() + ": " + t.latest().error().detail());
      } else if (t.latest().status().isFinal()) {
        done++;
      }
      if (t.latest().chunks() != null && t.latest().status() != FileStatus.FAILED) {
        chunks += t.latest().chunks();
        tokens += t.latest().tokens();
      }
      long searchable = t.reachedAt().entrySet().stream().filter(e -> PAST_PARSING.contains(e.getKey()))
          .mapToLong(Map.Entry::getValue).min().orElse(Long.MAX_VALUE);
      if (searchable != Long.MAX_VALUE) {
        lastSearchable = Math.max(lastSearchable, searchable);
      }
      long finished = t.reachedAt().entrySet().stream().filter(e -> e.getKey().isFinal())
          .mapToLong(Map.Entry::getValue).min().orElse(Long.MAX_VALUE);
      if (finished != Long.MAX_VALUE) {
        lastFinished = Math.max(lastFinished, finished);
      }
    }
    return new JobNumbers(tracks.size(), done, failed, bytes, chunks, tokens, (submitEnd - submitStart) / 1e9,
        (lastSearchable - submitStart) / 1e9, (lastFinished - submitStart) / 1e9, failures);
  }

  double megabytes() {
    return bytes / 1e6;
  }
}
