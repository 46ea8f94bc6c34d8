package io.automerge.trial;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.eval.ModelTasks;
import io.automerge.export.SearchExport;
import io.automerge.export.SearchOutcome;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.search.SearchSpec;
import io.automerge.segment.Segmentation;
import io.automerge.segment.Segmenter;
import java.nio.file.Path;
import java.util.List;

/**
 * The backend a search runs on: one model resident on a device, merged in place per trial from
 * the memory-mapped base and sources ({@link ResidentSession}), and an export that writes the recipe, the merged model and a report
 * ({@link SearchExport}). Stateless itself: one instance serves every worker.
 */
public final class ResidentTrialBackend implements TrialBackend {
  private final int batchSize;
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

  /** A backend with the node's default batch size ({@code automerge.worker.batch-size}; a spec's batch_size wins). */
  public static Builder builder(com.typesafe.config.Config config) {
    return builder().batchSize(config.getInt("automerge.worker.batch-size"));
  }

  public static final class Builder {
    private int batchSize = 250;
    private int testLimit;

    /** Examples per forward pass when measuring losses and metrics (default 250). */
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
        return Segmenter.segment(model, Segmenter.sampleBatch(model, manager), spec.segmentation());
      }
      Task first = tasks.get(0);
      int count = Math.min(Math.min(batchSize(spec), spec.validation().samplesPerTask()), first.size(Split.VAL));
      return Segmenter.segment(model, first.batch(manager, Split.VAL, 0, Math.max(1, count)).inputs(), spec.segmentation());
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

  /** The spec's {@code batch_size} when it gives one, else this backend's. */
  private int batchSize(SearchSpec spec) {
    return spec.batchSize() != null ? spec.batchSize() : batchSize;
  }
}
