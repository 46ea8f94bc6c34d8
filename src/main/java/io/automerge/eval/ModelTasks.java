package io.automerge.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.InvalidInputException;
import io.automerge.data.ModelFacts;
import io.automerge.data.ModelKind;
import io.automerge.data.ModelTask;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.TaskCatalog;
import io.automerge.data.TaskSpec;
import io.automerge.model.Architectures;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.cct.CctConfig;
import io.automerge.search.SearchSpec;
import io.automerge.tensor.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Resolves tasks for a model: what the model reads decides the tasks it can be scored on. */
public final class ModelTasks {
  /** A search scores validation (trials) and test (report) splits. */
  public static final Set<Split> SEARCH_SPLITS = EnumSet.of(Split.VAL, Split.TEST);

  private ModelTasks() {}

  /** What tasks need to know about the checkpoint at {@code dirOrFile}, from its config.json. */
  public static ModelFacts facts(Path dirOrFile) {
    JsonNode config = ModelCheckpoints.readConfig(dirOrFile);
    Path dir = Files.isDirectory(dirOrFile) ? dirOrFile : dirOrFile.toAbsolutePath().getParent();
    String where = dir.resolve("config.json").toString();
    Map<String, Integer> label2id = new LinkedHashMap<>();
    JsonNode labels = config.path("label2id");
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().canConvertToInt()) {
        throw new InvalidInputException(where + ": label2id." + e.getKey() + " is not an integer");
      }
      label2id.put(e.getKey(), e.getValue().asInt());
    }
    if (Architectures.detect(config, where).equals(CctConfig.ARCHITECTURE)) {
      CctConfig cct = CctConfig.fromJson(config, where);
      return new ModelFacts(dir.toAbsolutePath(), ModelKind.IMAGE, cct.numLabels(), 0, cct.imageSize(), cct.numChannels(), label2id);
    }
    int vocab = config.path("vocab_size").asInt(32000);
    int positions = config.path("max_position_embeddings").asInt(2048);
    return new ModelFacts(dir.toAbsolutePath(), ModelKind.TEXT, vocab, positions, 0, 0, label2id);
  }

  /** A built-in task for a model config's directory (text windows fit the model's positions). */
  public static ModelTask resolve(Map<String, TaskSpec> declared, Path modelDir, String taskName, Set<Split> splits) {
    return TaskCatalog.resolve(taskName, declared, facts(modelDir), splits);
  }

  /** Every source model's task of a search, resolved for the base model (val and test loaded). */
  public static List<ModelTask> ofSearch(SearchSpec spec) {
    ModelFacts base = facts(Path.of(spec.baseModel()));
    return spec.tasks().stream().map(t -> TaskCatalog.resolve(t, spec.declaredTasks(), base, SEARCH_SPLITS)).toList();
  }

  /**
   * The search's checks that need the models and the data, before anything is persisted: every
   * checkpoint opens, base and sources are the same kind of model, every task fits that kind and
   * loads (files, lines, fields, tokenizer ids, images, labels, commands).
   */
  public static void preflight(SearchSpec spec, Path specFile) {
    try {
      preflight(spec);
    } catch (InvalidInputException e) {
      // A spec field (tasks.x..., models[i]...) is named in the spec file; a data file names itself.
      String m = e.getMessage();
      boolean field = m.startsWith("tasks.") || m.startsWith("models[") || m.startsWith("task ");
      throw field ? new InvalidInputException(specFile + ": " + m, e) : e;
    }
  }

  private static void preflight(SearchSpec spec) {
    Checkpoint.open(Path.of(spec.baseModel())).close();
    ModelFacts base = facts(Path.of(spec.baseModel()));
    for (int i = 0; i < spec.models().size(); i++) {
      Path path = Path.of(spec.models().get(i).path());
      Checkpoint.open(path).close();
      ModelFacts source = facts(path);
      if (source.kind() != base.kind()) {
        throw new InvalidInputException("models[" + i + "]: " + source.describe() + " is " + source.kind().description()
            + ", the base model is " + base.kind().description());
      }
    }
    ofSearch(spec);
  }

  /** The tensor tasks among {@code tasks} (command tasks run outside the process). */
  public static List<Task> tensorTasks(List<ModelTask> tasks) {
    return tasks.stream().filter(t -> t instanceof Task).map(t -> (Task) t).toList();
  }
}
