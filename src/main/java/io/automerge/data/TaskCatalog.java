package io.automerge.data;

import io.automerge.InvalidInputException;
import io.automerge.data.tokenizer.TextTokenizer;
import io.automerge.data.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a task name for a model: a task the spec declares under {@code tasks:}, else a
 * built-in name ({@code fashion-mnist:*}, {@code fortunes:*}, {@code python:stdlib}). Loaded tasks are kept per
 * (declaration, model, splits), so the preflight's loading serves the search's workers too.
 */
public final class TaskCatalog {
  private record Key(String name, TaskSpec spec, ModelFacts model, Set<Split> splits) {}

  private static final Map<Key, ModelTask> CACHE = new ConcurrentHashMap<>();

  private TaskCatalog() {}

  /** The task named {@code name}, with {@code splits} loaded and checked against the model. */
  public static ModelTask resolve(String name, Map<String, TaskSpec> declared, ModelFacts model, Set<Split> splits) {
    String n = name.trim();
    TaskSpec spec = declared.get(n);
    if (spec != null) {
      TaskType type = TaskType.of(n, spec);
      Set<Split> wanted = splits.isEmpty() ? EnumSet.noneOf(Split.class) : EnumSet.copyOf(splits);
      return CACHE.computeIfAbsent(new Key(n, spec, model, wanted), k -> type.load(n, spec, model, wanted));
    }
    return builtIn(n, model);
  }

  /** Whether a name is declared or looks like a built-in one (the cheap check a spec gets on load). */
  public static boolean known(String name, Map<String, TaskSpec> declared) {
    String n = name.trim();
    return declared.containsKey(n) || Tasks.isBuiltIn(n);
  }

  /**
   * The spec-level checks of a search's tasks, before anything is read: every declared task is
   * well-formed and used by exactly one model, every model's task is known, no task is given to
   * two models, and every tensor task declares the test split the report scores.
   */
  public static void checkSearch(Map<String, TaskSpec> declared, List<String> modelTasks, String where) {
    for (Map.Entry<String, TaskSpec> e : declared.entrySet()) {
      TaskType type;
      try {
        type = TaskType.of(e.getKey(), e.getValue());
      } catch (InvalidInputException bad) {
        throw new InvalidInputException(where + bad.getMessage(), bad);
      }
      if (type != TaskType.COMMAND && (e.getValue().test() == null || e.getValue().test().isEmpty())) {
        throw new InvalidInputException(where + "tasks." + e.getKey() + ".test: required in a search (the report scores the test split)");
      }
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < modelTasks.size(); i++) {
      String task = modelTasks.get(i).trim();
      if (!known(task, declared)) {
        throw new InvalidInputException(where + "models[" + i + "].task: '" + task + "' is neither declared under tasks"
            + (declared.isEmpty() ? "" : " " + declared.keySet()) + " nor a built-in task (fashion-mnist:..., fortunes:..., python:stdlib)");
      }
      if (!seen.add(task)) {
        throw new InvalidInputException(where + "models[" + i + "].task: task '" + task + "' is given to more than one model"
            + " (each source model brings its own task)");
      }
    }
    for (String name : declared.keySet()) {
      if (!seen.contains(name)) {
        throw new InvalidInputException(where + "tasks." + name + ": no model uses this task (models' tasks: " + modelTasks + ")");
      }
    }
  }

  /** The kind of model a built-in task is for. */
  public static ModelKind builtInKind(String name) {
    return Tasks.isImageTask(name) ? ModelKind.IMAGE : ModelKind.TEXT;
  }

  private static Task builtIn(String name, ModelFacts model) {
    if (!Tasks.isBuiltIn(name)) {
      return Tasks.parse(name); // the one-line "unknown task" message
    }
    ModelKind kind = builtInKind(name);
    if (kind != model.kind()) {
      throw new InvalidInputException("task " + name + " scores " + kind.description() + ", but " + model.describe() + " is "
          + model.kind().description());
    }
    if (kind == ModelKind.IMAGE) {
      if (model.imageSize() != FashionMnist.SIDE || model.channels() != 1 || model.outputs() < FashionMnist.CLASSES) {
        throw new InvalidInputException("task " + name + " needs 28x28 grayscale images and 10 outputs, but " + model.describe()
            + " reads " + model.imageSize() + "x" + model.imageSize() + "x" + model.channels() + " with " + model.outputs() + " outputs");
      }
      return Tasks.parse(name);
    }
    int context = Math.min(NextByteTask.DEFAULT_CONTEXT, model.maxPositions());
    if (Files.isRegularFile(model.dir().resolve(Tokenizers.FILE))) {
      // A model with its own tokenizer reads the text in its tokens.
      try (TextTokenizer tokenizer = Tokenizers.load(model.dir())) {
        Tokenizers.checkFits(tokenizer, model.outputs(), model.describe());
        return Tasks.parse(name, context, tokenizer);
      }
    }
    if (model.outputs() < 256) {
      throw new InvalidInputException("task " + name + " reads bytes (ids 0..255), but " + model.describe() + " has vocab_size " + model.outputs());
    }
    return Tasks.parse(name, context);
  }
}
