package io.automerge.experiment;

import io.automerge.InvalidInputException;
import io.automerge.actors.SearchProtocol;
import io.automerge.actors.SearchState;
import io.automerge.cluster.SearchClient;
import io.automerge.cluster.SearchNode;
import io.automerge.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs an experiment's searches one after another on a node (one at a time, so every worker keeps
 * one search's models resident), each to its export. A search the journal already finished
 * answers at once; a half-done one resumes where it stopped.
 */
public final class ExperimentDriver {
  /** Follows one run; closed when the run ends. */
  public interface Progress extends AutoCloseable {
    void update(SearchState state);

    @Override
    void close();
  }

  private final SearchNode node;
  private final Function<ExperimentRun, Progress> progress;
  private final Consumer<RunOutcome> finished;

  public ExperimentDriver(SearchNode node, Function<ExperimentRun, Progress> progress, Consumer<RunOutcome> finished) {
    this.node = node;
    this.progress = progress;
    this.finished = finished;
  }

  public List<RunOutcome> run(ExperimentPlan plan) throws InterruptedException {
    List<RunOutcome> outcomes = new ArrayList<>();
    for (ExperimentRun run : plan.runs()) {
      RunOutcome outcome = run(run);
      finished.accept(outcome);
      outcomes.add(outcome);
    }
    return outcomes;
  }

  private RunOutcome run(ExperimentRun run) throws InterruptedException {
    SearchClient client = new SearchClient(node, run.spec().id());
    SearchProtocol.StartReply started = client.start(run.spec(), run.strategy().proposals());
    if (started instanceof SearchProtocol.Refused refused) {
      throw new InvalidInputException("experiment run " + run.name() + ": " + refused.reason());
    }
    long before = client.state().count(SearchState.Outcome.COMPLETED);
    SearchState state;
    try (Progress p = progress.apply(run)) {
      state = client.awaitSettled(Duration.ofMillis(500), p::update);
    }
    if (state.phase() != SearchState.Phase.COMPLETED) {
      throw new InvalidInputException("experiment run " + run.name() + " (search " + state.id() + ") is "
          + state.phase().name().toLowerCase() + (state.failure() == null ? "" : ": " + state.failure()));
    }
    return new RunOutcome(run, state, before, exportReport(run, state));
  }

  /**
   * The export's report.json, read from disk: the copy in the journal's ModelExported event comes
   * back from CBOR with Scala collections inside, and the file is what the user sees anyway.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> exportReport(ExperimentRun run, SearchState state) {
    Path file = Path.of(state.export().dir(), "report.json");
    try {
      return Json.mapper().readValue(file.toFile(), Map.class);
    } catch (IOException e) {
      throw new InvalidInputException("experiment run " + run.name() + ": cannot read " + file
          + " (" + e.getMessage() + "); delete the run's search or restore its export");
    }
  }
}
