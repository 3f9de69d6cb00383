package rag.app.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import rag.app.api.ProblemException;
import rag.app.config.RagConfig;
import rag.storage.problem.ProblemType;

/**
 * Per-key admission: a token bucket for the request rate and a bound on requests in progress. A key over either gets
 * 429 at once (never a queue), so one key's flood leaves the service's capacity to the others. Only keys are limited:
 * an open service (loopback only) has a single user.
 */
@ApplicationScoped
public class KeyLimits {
  private final double perSecond;
  private final int burst;
  private final int concurrent;
  private final long uploadBytesPerHour;
  private final int concurrentIngestJobs;
  private final Long maxStuffedTokens;
  private final int maxChatTurns;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();

  /** Held while a request is in progress; released exactly once. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private final class Slot {
    private double tokens = burst;
    private long refilledAt = System.nanoTime();
    private final Semaphore inProgress = new Semaphore(concurrent);
    private final Set<String> ingestJobs = new HashSet<>(); // ids of this key's jobs, possibly finished since
    private int ingestReserved;
    private final Deque<long[]> uploads = new ArrayDeque<>(); // {nanoTime, bytes}, oldest first
    private long uploadedInWindow;

    synchronized boolean chargeUpload(long bytes) {
      long now = System.nanoTime();
      while (!uploads.isEmpty() && now - uploads.peekFirst()[0] >= HOUR_NANOS) {
        uploadedInWindow -= uploads.pollFirst()[1];
      }
      if (uploadedInWindow + bytes > uploadBytesPerHour) {
        return false;
      }
      uploads.addLast(new long[] {now, bytes});
      uploadedInWindow += bytes;
      return true;
    }

    /** Tokens in the bucket now: what it held, refilled for the time since, up to the burst. */
    private double refilled(long now) {
      return Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
    }

    synchronized boolean empty() {
      return refilled(System.nanoTime()) < 1;
    }

    synchronized boolean take() {
      long now = System.nanoTime();
      tokens = refilled(now);
      refilledAt = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  private static final long HOUR_NANOS = 3_600_000_000_000L;

  @Inject
  public KeyLimits(RagConfig config) {
    this(config.security().limits().requestsPerSecond(), config.security().limits().burst(),
        config.security().limits().concurrentRequests(), config.security().limits().uploadBytesPerHour().asLongValue(),
        config.security().limits().concurrentIngestJobs(), config.security().limits().maxStuffedTokens().orElse(null),
        config.security().limits().maxChatTurns());
  }

  /** Refuses (413) a chat history of {@code turns} turns over the key's limit; an open service is not limited. */
  public void checkChatHistory(Caller caller, int turns) {
    if (!caller.isOpen() && turns > maxChatTurns) {
      throw new ProblemException(ProblemType.HISTORY_LIMIT, "the conversation holds " + turns + " turns, over this"
          + " key's limit of " + maxChatTurns + " (rag.security.limits.max-chat-turns): start a new conversation");
    }
  }

  /** The most prompt tokens a request of this caller may have stuffed, or null when it is not limited. */
  public Long stuffLimit(Caller caller) {
    return caller.isOpen() ? null : maxStuffedTokens;
  }

  KeyLimits(double perSecond, int burst, int concurrent, long uploadBytesPerHour, int concurrentIngestJobs) {
    this(perSecond, burst, concurrent, uploadBytesPerHour, concurrentIngestJobs, null, Integer.MAX_VALUE);
  }

  KeyLimits(double perSecond, int burst, int concurrent, long uploadBytesPerHour, int concurrentIngestJobs,
      Long maxStuffedTokens, int maxChatTurns) {
    this.maxStuffedTokens = maxStuffedTokens;
    this.maxChatTurns = maxChatTurns;
    this.perSecond = perSecond;
    this.burst = burst;
    this.concurrent = concurrent;
    this.uploadBytesPerHour = uploadBytesPerHour;
    this.concurrentIngestJobs = concurrentIngestJobs;
  }

  /** Room for one ingest job of a key: give it the job's id once submitted, or close it when the submission failed. */
  public interface IngestRoom extends AutoCloseable {
    void started(String jobId);

    @Override
    void close();
  }

  /**
   * Takes room for one more ingest job of the key, or throws the 429 problem when it has as many queued or running as
   * it may ({@code unfinished} tells which of its earlier jobs still are). {@code keyId} null is not limited.
   */
  public IngestRoom reserveIngestJob(String keyId, Predicate<String> unfinished) {
    if (keyId == null) {
      return new IngestRoom() {
        @Override
        public void started(String jobId) {
        }

        @Override
        public void close() {
        }
      };
    }
    Slot slot = slots.computeIfAbsent(keyId, k -> new Slot());
    synchronized (slot) {
      slot.ingestJobs.removeIf(unfinished.negate());
      if (slot.ingestJobs.size() + slot.ingestReserved >= concurrentIngestJobs) {
        throw new ProblemException(ProblemType.RATE_LIMITED, "this key has " + concurrentIngestJobs + " ingest jobs"
            + " queued or running already (rag.security.limits.concurrent-ingest-jobs); retry when one has finished");
      }
      slot.ingestReserved++;
    }
    return new IngestRoom() {
      private boolean done;

      @Override
      public void started(String jobId) {
        synchronized (slot) {
          if (!done) {
            done = true;
            slot.ingestReserved--;
            slot.ingestJobs.add(jobId);
          }
        }
      }

      @Override
      public void close() {
        synchronized (slot) {
          if (!done) {
            done = true;
            slot.ingestReserved--;
          }
        }
      }
    };
  }

  /**
   * Counts an upload against the key's hourly volume, or throws the 429 problem when it would exceed it (nothing is
   * counted then). {@code keyId} null (an open service) is not limited.
   */
  public void chargeUpload(String keyId, long bytes) {
    if (keyId != null && !slots.computeIfAbsent(keyId, k -> new Slot()).chargeUpload(bytes)) {
      throw new ProblemException(ProblemType.UPLOAD_QUOTA, "this upload of " + bytes + " bytes would take this key"
          + " past its " + uploadBytesPerHour + " bytes in an hour (rag.security.limits.upload-bytes-per-hour)");
    }
  }

  /**
   * True when the key has used up its rate for now: cheap (no authentication), for shedding a flood before any work.
   * Only authenticated requests take tokens, so naming someone else's key id here cannot use up their rate.
   */
  public boolean exhausted(String keyId) {
    Slot slot = slots.get(keyId);
    return slot != null && slot.empty();
  }

  /** Admits a request of the key, or throws the 429 problem saying which limit it hit. */
  public Permit admit(String keyId) {
    Slot slot = slots.computeIfAbsent(keyId, k -> new Slot());
    if (!slot.take()) {
      throw new ProblemException(ProblemType.RATE_LIMITED, "this key sent more than " + burst + " requests at once"
          + " or more than " + perSecond + " per second (rag.security.limits.*); retry after the Retry-After delay");
    }
    if (!slot.inProgress.tryAcquire()) {
      throw new ProblemException(ProblemType.RATE_LIMITED, "this key has " + concurrent + " requests in progress"
          + " already (rag.security.limits.concurrent-requests); retry when one has finished");
    }
    return new Permit() {
      private boolean released;

      @Override
      public synchronized void close() {
        if (!released) {
          released = true;
          slot.inProgress.release();
        }
      }
    };
  }
}
