package rag.app.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import rag.app.api.Problem;
import rag.app.api.Problems;
import rag.app.eval.EvalViews.Progress;
import rag.app.eval.EvalViews.RunState;
import rag.eval.ProgressListener;

/**
 * Evaluation runs as asynchronous jobs, one at a time on their own worker thread, each recorded in the catalog
 * with its report under the reports directory ({@link RunRecords}). A submitted run is validated, written as {@code queued}, and answered at
 * once; the worker runs it, keeping its state up to date (progress at most every half second), and writes
 * the result and the report. At start the service marks runs left {@code running} as failed ("interrupted by a
 * restart") and queues again the runs left {@code queued}; the command line does neither, since a server may be
 * using the same catalog.
 */
@ApplicationScoped
public class EvalRuns {
  /** Set (to the command's name) by the command line, which runs evaluations in its own thread; outside
   * {@code rag.*}, which the configuration mapping owns. */
  public static final String COMMAND_PROPERTY = "ragcli.command";
  static final String INTERRUPTED = "interrupted by a restart";
  private static final Logger LOG = Logger.getLogger(EvalRuns.class);
  private static final long PROGRESS_WRITE_NANOS = 500_000_000L;

  @Inject
  EvalParts parts;

  @Inject
  ObjectMapper json;

  @Inject
  MeasuredEffectiveContexts effectiveContexts;

  private RunRecords folders;
  private ExecutorService worker;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final Map<String, RunState> live = new ConcurrentHashMap<>();

  void start(@Observes StartupEvent event) {
    folders();
    if (System.getProperty(COMMAND_PROPERTY) != null) {
      return;
    }
    for (RunState state : folders.listIn("running")) {
      folders.writeState(state.failed(Instant.now(), INTERRUPTED));
      LOG.infof("evaluation run %s was running when the service stopped: marked failed", state.runId());
    }
    for (RunState state : folders.listIn("queued")) {
      requeue(state);
    }
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    stopWorker();
  }

  /** Interrupts the run in progress (marked failed at the next start) and stops the worker. Idempotent. */
  public void stopWorker() throws InterruptedException {
    if (worker != null) {
      worker.shutdownNow();
      worker.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private synchronized RunRecords folders() {
    if (folders == null) {
      folders = new RunRecords(parts.reportsDir(), json, parts.archive().evalRuns(), parts.sharedReports());
    }
    return folders;
  }

  private synchronized ExecutorService worker() {
    if (worker == null) {
      worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "eval-runs");
        t.setDaemon(true);
        return t;
      });
    }
    return worker;
  }

  /** Runs waiting for the worker (at most {@code rag.eval.max-queued-runs}). */
  public int queuedRuns() {
    return waiting.get();
  }

  /** Runs in progress: the worker runs one at a time. */
  public int runningRuns() {
    return Math.max(0, live.size() - waiting.get());
  }

  /** Submissions refused with 503 since start. */
  public long refusedRuns() {
    return refused.get();
  }

  public Path reportsDir() {
    return folders().dir();
  }

  /** Validates (400 or 403 when the settings are refused), records the run as queued and hands it to the worker. */
  public RunState submit(NiahRequest request) {
    return enqueue(parts.requests().niah(request, true));
  }

  public RunState submit(RetrievalRequest request) {
    return enqueue(parts.requests().retrieval(request, true));
  }

  public RunState submit(BudgetRequest request) {
    return enqueue(parts.requests().budgets(request));
  }

  public RunState submit(QaRequest request) {
    return enqueue(parts.requests().qa(request, parts.archive().questionSets()));
  }

  public RunState submit(DraftRequest request) {
    return enqueue(parts.requests().draft(request, parts.archive().questionSets()));
  }

  /** For the command line: validates (no allowed-roots check), records and runs in the calling thread. */
  public RunState runHere(EvalPlan plan, ProgressListener progress) {
    RunState state = create(plan);
    return execute(state, plan, progress);
  }

  /** The command line's plan: the same validation as the API, without the allowed-roots check. */
  public EvalPlan plan(NiahRequest request) {
    return parts.requests().niah(request, false);
  }

  public EvalPlan plan(RetrievalRequest request) {
    return parts.requests().retrieval(request, false);
  }

  public EvalPlan plan(QaRequest request) {
    return parts.requests().qa(request, parts.archive().questionSets());
  }

  public List<RunState> list() {
    return folders().list().stream().map(s -> live.getOrDefault(s.runId(), s)).toList();
  }

  public Optional<RunState> state(String runId) {
    RunState current = live.get(runId);
    return current != null ? Optional.of(current) : folders().state(runId);
  }

  public Optional<JsonNode> settings(String runId) {
    return folders().json(runId, RunRecords.SETTINGS);
  }

  public Optional<JsonNode> result(String runId) {
    return folders().json(runId, RunRecords.RESULT);
  }

  public Optional<Path> report(String runId) {
    return folders().report(runId);
  }

  private RunState enqueue(EvalPlan plan) {
    if (waiting.incrementAndGet() > parts.maxQueuedRuns()) {
      waiting.decrementAndGet();
      refused.incrementAndGet();
      throw new EvalQueueFullException(parts.maxQueuedRuns());
    }
    RunState state;
    try {
      state = create(plan);
    } catch (RuntimeException e) {
      waiting.decrementAndGet();
      throw e;
    }
    schedule(state, plan);
    return state;
  }

  private void requeue(RunState state) {
    EvalPlan plan;
    try {
      JsonNode settings = folders.json(state.runId(), RunRecords.SETTINGS).orElseThrow(() ->
          new IllegalStateException("its settings are missing"));
      plan = switch (state.kind()) {
        case "niah" -> parts.requests().niah(json.treeToValue(settings, NiahRequest.class), true);
        case "budgets" -> parts.requests().budgets(json.treeToValue(settings, BudgetRequest.class));
        case "qa" -> parts.requests().qa(json.treeToValue(settings, QaRequest.class), parts.archive().questionSets());
        case "draft" -> parts.requests().draft(json.treeToValue(settings, DraftRequest.class),
            parts.archive().questionSets());
        default -> parts.requests().retrieval(json.treeToValue(settings, RetrievalRequest.class), true);
      };
    } catch (Exception e) {
      folders.writeState(state.failed(Instant.now(), "could not be queued again after a restart: " + e.getMessage()));
      return;
    }
    waiting.incrementAndGet();
    schedule(state, plan);
    LOG.infof("evaluation run %s queued again after a restart", state.runId());
  }

  private void schedule(RunState state, EvalPlan plan) {
    live.put(state.runId(), state);
    worker().execute(() -> {
      waiting.decrementAndGet();
      try {
        execute(state, plan, ProgressListener.NONE);
      } finally {
        live.remove(state.runId());
      }
    });
  }

  private RunState create(EvalPlan plan) {
    RunState state = new RunState(RunRecords.newRunId(), plan.kind(), "queued", new Progress(0, total(plan)), null,
        Instant.now(), null, null, null);
    folders().create(state, plan.settings());
    return state;
  }

  private static int total(EvalPlan plan) {
    return plan instanceof NiahPlan niah ? niah.grid().size()
        : plan instanceof BudgetPlan budgets ? budgets.budgets().size() * budgets.questions().size()
        : plan instanceof QaPlan qa ? qa.questions().size() * (qa.retrievers().size() + qa.budgets().size()
            + (qa.endToEnd() ? 1 : 0))
        : plan instanceof DraftPlan draft ? draft.questions() : 0;
  }

  private RunState execute(RunState queued, EvalPlan plan, ProgressListener listener) {
    RunState[] current = {queued.running(Instant.now())};
    save(current[0]);
    long[] lastWrite = {System.nanoTime()};
    ProgressListener progress = (done, total) -> {
      current[0] = current[0].progressed(new Progress(done, total));
      live.put(current[0].runId(), current[0]);
      if (System.nanoTime() - lastWrite[0] > PROGRESS_WRITE_NANOS || done == total) {
        folders().writeState(current[0]);
        lastWrite[0] = System.nanoTime();
      }
      listener.progress(done, total);
    };
    try {
      EvalOutcome outcome;
      if (plan instanceof NiahPlan niah) {
        outcome = new NiahJob(niah, parts).run(queued.runId(), queued.createdAt(), progress);
      } else if (plan instanceof QaPlan qa) {
        outcome = new QaJob(qa, parts).run(queued.runId(), queued.createdAt(), progress);
      } else if (plan instanceof DraftPlan draft) {
        outcome = new DraftJob(draft, parts).run(queued.runId(), queued.createdAt(), progress);
      } else if (plan instanceof BudgetPlan budgets) {
        outcome = new BudgetJob(budgets, parts).run(queued.runId(), queued.createdAt(), progress);
      } else {
        outcome = new RetrievalJob((RetrievalPlan) plan, parts).run(queued.runId(), queued.createdAt(), progress);
      }
      folders().writeResult(queued.runId(), outcome.result(), outcome.html());
      current[0] = current[0].succeeded(Instant.now(), outcome.summary());
    } catch (CancellationException e) {
      current[0] = current[0].failed(Instant.now(), "cancelled: " + e.getMessage());
    } catch (RuntimeException | Error e) {
      LOG.warnf("evaluation run %s failed", queued.runId());
      Problem problem = Problems.of(e, null);
      current[0] = current[0].failed(Instant.now(), problem.title() + ": " + problem.detail());
    }
    save(current[0]);
    if (plan instanceof NiahPlan niah && niah.mode() == NiahMode.END_TO_END && "succeeded".equals(current[0].state())) {
      effectiveContexts.refresh(); // planning uses the new measurement at once
    }
    return current[0];
  }

  private void save(RunState state) {
    live.put(state.runId(), state);
    folders().writeState(state);
  }
}
