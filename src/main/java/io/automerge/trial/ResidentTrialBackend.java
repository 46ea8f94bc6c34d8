package io.automerge.trial;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.eval.FittingBatch;
import io.automerge.eval.ModelTasks;
import io.automerge.export.SearchExport;
import io.automerge.export.SearchOutcome;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.search.SearchSpec;
import io.automerge.segment.Segmentation;
import io.automerge.segment.Segmenter;
import io.automerge.util.NativeMemory;
import java.nio.file.Path;
import java.util.List;

/**
 * The backend a search runs on: one model resident on a device, merged in place per trial from
 * the memory-mapped base and sources ({@link ResidentSession}), and an export that writes the recipe, the merged model and a report
 * ({@link SearchExport}). Stateless itself: one instance serves every worker.
 */
public final class ResidentTrialBackend implements TrialBackend {
  private final Integer batchSize;
  private final int testLimit;

  public ResidentTrialBackend() {
    this(builder());
  }

  private ResidentTrialBackend(Builder builder) {
    this.batchSize = builder.batchSize;
    this.testLimit = builder.testLimit;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A backend with the node's default batch size, {@code automerge.worker.batch-size}: {@code auto}
   * chooses it to fit ({@link FittingBatch}), a number fixes it; a spec's {@code batch_size} wins.
   */
  public static Builder builder(com.typesafe.config.Config config) {
    String value = config.getString("automerge.worker.batch-size").trim();
    if (value.equals("auto")) {
      return builder();
    }
    try {
      return builder().batchSize(Integer.parseInt(value));
    } catch (NumberFormatException e) {
      throw new io.automerge.InvalidInputException("automerge.worker.batch-size: expected auto or a positive number, got '" + value + "'");
    }
  }

  public static final class Builder {
    private Integer batchSize;
    private int testLimit;

    /**
     * Examples per forward pass when measuring losses and metrics, for specs without {@code
     * batch_size} (default: chosen to fit the memory, {@link FittingBatch}).
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be positive: " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Test examples per task the export scores (default 0: the whole test split). */
    public Builder testLimit(int testLimit) {
      this.testLimit = Math.max(0, testLimit);
      return this;
    }

    public ResidentTrialBackend build() {
      return new ResidentTrialBackend(this);
    }
  }

  /** Traces the base model with one val batch of the first tensor task (a sample batch when all tasks are commands). */
  @Override
  public Segmentation segment(SearchSpec spec) {
    Path base = Path.of(spec.baseModel());
    List<Task> tasks = ModelTasks.tensorTasks(ModelTasks.ofSearch(spec));
    try (NDManager manager = NDManager.newBaseManager()) {
      ArchitectureModel model = ResidentModel.frozen(ModelCheckpoints.load(base, manager));
      if (tasks.isEmpty()) {
        return Segmenter.segment(model, Segmenter.sampleBatch(model, manager), spec.segmentation(), spec.groups());
      }
      Task first = tasks.get(0);
      Integer fixed = batchSize(spec);
      int batch = fixed != null ? fixed : FittingBatch.fitting(model, tasks, CacheSources.hostAvailableBytes(), manager);
      int count = Math.min(Math.min(batch, spec.validation().samplesPerTask()), first.size(Split.VAL));
      return Segmenter.segment(model, first.batch(manager, Split.VAL, 0, Math.max(1, count)).inputs(), spec.segmentation(), spec.groups());
    } finally {
      NativeMemory.trim(); // the traced float32 model is freed: give its pages back before the worker loads its own
    }
  }

  @Override
  public Session open(SearchSpec spec, Segmentation segmentation, Device device) {
    return ResidentSession.open(spec, segmentation, device, batchSize(spec));
  }

  @Override
  public ExportResult export(SearchOutcome outcome) {
    Integer specLimit = outcome.spec().report().testSamples();
    return new SearchExport(outcome, batchSize(outcome.spec()), specLimit != null ? specLimit : testLimit).run();
  }

  /** The spec's {@code batch_size} when it gives one, else this backend's; null: choose to fit. */
  private Integer batchSize(SearchSpec spec) {
    return spec.batchSize() != null ? spec.batchSize() : batchSize;
  }
}
