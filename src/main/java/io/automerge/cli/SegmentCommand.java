package io.automerge.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.eval.ModelTasks;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.segment.Segment;
import io.automerge.segment.Segmentation;
import io.automerge.segment.Segmenter;
import io.automerge.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `automerge segment MODEL_DIR`: the blocks a search would merge separately. */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    description = "Trace one forward pass and print the model's blocks (cut where the output rank changes).")
public final class SegmentCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "Checkpoint directory (config.json + safetensors).")
  Path modelDir;

  @Option(names = "--segmentation", paramLabel = "MODE", defaultValue = "shape",
      description = "shape (default), whole or layers:K.")
  String mode;

  @Option(names = "--groups", paramLabel = "ROLE", split = ",",
      description = "Split every block by tensor role: attention, mlp, norm, embedding, head (as a spec's groups:).")
  List<String> groups = List.of();

  @Option(names = "--task", paramLabel = "TASK",
      description = "Trace with the first val batch of this task (default: a random batch of the input shape).")
  String task;

  @Option(names = "--json", description = "Print {\"blocks\": [...]} as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Segmentation segmentation;
    try (NDManager manager = NDManager.newBaseManager()) {
      ArchitectureModel model = ModelCheckpoints.load(modelDir, manager);
      NDArray batch;
      if (task != null) {
        if (!(ModelTasks.resolve(java.util.Map.of(), modelDir, task, java.util.EnumSet.of(Split.VAL)) instanceof Task t)) {
          throw new io.automerge.InvalidInputException("--task " + task + ": not a task the model runs in process");
        }
        batch = t.batch(manager, Split.VAL, 0, Math.min(8, t.size(Split.VAL))).inputs();
      } else {
        batch = Segmenter.sampleBatch(model, manager);
      }
      segmentation = Segmenter.segment(model, batch, mode, groups);
    }
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(Map.of("blocks", segmentation.blocks().stream().map(SegmentCommand::toJson).toList())));
      return 0;
    }
    out.printf(Locale.ROOT, "segmentation %s: %d block(s), %,d parameters%n",
        segmentation.mode(), segmentation.blocks().size(), segmentation.parameters());
    for (Segment block : segmentation.blocks()) {
      out.printf(Locale.ROOT, "%nblock %s: rank %d, %,d parameters, %d tensors%s%n",
          block.name(), block.rank(), block.parameters(), block.tensors().size(),
          block.role() == null ? "" : ", role " + block.role());
      out.println("  pattern  " + block.pattern());
      out.println("  children " + String.join(", ", block.children()));
      block.tensors().forEach(t -> out.println("  " + t));
    }
    return 0;
  }

  private static Map<String, Object> toJson(Segment block) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", block.name());
    m.put("rank", block.rank());
    m.put("parameters", block.parameters());
    if (block.role() != null) {
      m.put("role", block.role());
    }
    m.put("tensors", List.copyOf(block.tensors()));
    m.put("pattern", block.pattern());
    return m;
  }
}
