package rag.storage.evals;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import rag.storage.jdbc.Jdbc;

/**
 * Evaluation runs in the catalog's database, as JSON documents the application writes and reads (settings, state,
 * result), keyed by run id; every instance on the same database sees the same runs. The state column repeats the
 * state JSON's state so that runs can be found by it.
 */
public final class EvalRunStore {
  private final Jdbc jdbc;
  private final Clock clock;

  public EvalRunStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(dataSource);
    this.clock = clock;
  }

  /** Records a new run; false when the id is taken. */
  public boolean create(String runId, String kind, String state, String stateJson, String settingsJson) {
    long now = clock.millis();
    return jdbc.update("cannot record evaluation run " + runId, "INSERT INTO eval_runs (run_id, kind, state,"
        + " state_json, settings_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (run_id) DO NOTHING", Jdbc.params(runId, kind, state, stateJson, settingsJson, now, now)) == 1;
  }

  /** Replaces a run's state; false when there is no such run. */
  public boolean updateState(String runId, String state, String stateJson) {
    return jdbc.update("cannot update evaluation run " + runId, "UPDATE eval_runs SET state = ?, state_json = ?,"
        + " updated_at = ? WHERE run_id = ?", Jdbc.params(state, stateJson, clock.millis(), runId)) == 1;
  }

  /** Stores a run's result (its state says succeeded next); false when there is no such run. */
  public boolean putResult(String runId, String resultJson) {
    return jdbc.update("cannot store the result of evaluation run " + runId, "UPDATE eval_runs SET result_json = ?,"
        + " updated_at = ? WHERE run_id = ?", Jdbc.params(resultJson, clock.millis(), runId)) == 1;
  }

  public Optional<String> state(String runId) {
    return column("state_json", runId);
  }

  public Optional<String> settings(String runId) {
    return column("settings_json", runId);
  }

  public Optional<String> result(String runId) {
    return column("result_json", runId);
  }

  /** The state JSON of every run, newest first (run ids sort by creation time). */
  public List<String> states() {
    return jdbc.query("cannot list the evaluation runs", "SELECT state_json FROM eval_runs ORDER BY run_id DESC",
        Jdbc.params(), rs -> rs.getString(1));
  }

  /** The state JSON of the runs in {@code state}, oldest first. */
  public List<String> statesIn(String state) {
    return jdbc.query("cannot list the evaluation runs", "SELECT state_json FROM eval_runs WHERE state = ?"
        + " ORDER BY run_id", Jdbc.params(state), rs -> rs.getString(1));
  }

  private Optional<String> column(String column, String runId) {
    return jdbc.query("cannot read evaluation run " + runId, "SELECT " + column + " FROM eval_runs WHERE run_id = ?",
        Jdbc.params(runId), rs -> rs.getString(1)).stream().filter(v -> v != null).findFirst();
  }
}
