package io.automerge.serve;

import io.automerge.InvalidInputException;
import io.automerge.data.TaskSpec;
import io.automerge.eval.ModelTasks;
import io.automerge.search.SearchSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a posted spec must pass before anything is persisted: the same parsing and preflight as
 * `automerge search`, every path under the allowed roots, and no programs to run unless the node
 * allows command tasks. Every refusal is one line naming the field ({@link InvalidInputException}).
 */
public final class SpecAdmission {
  /** How a posted spec is named in error messages (it has no file). */
  public static final Path NAME = Path.of("spec");

  private final AllowedRoots roots;
  private final boolean allowCommandTasks;

  public SpecAdmission(AllowedRoots roots, boolean allowCommandTasks) {
    this.roots = roots;
    this.allowCommandTasks = allowCommandTasks;
  }

  /** Parses and checks; relative paths resolve against the first allowed root. */
  public SearchSpec admit(String body) {
    SearchSpec spec = SearchSpec.parse(body, NAME, roots.roots().get(0));
    String where = NAME + ": ";
    roots.check(where + "base_model", spec.baseModel());
    for (int i = 0; i < spec.models().size(); i++) {
      roots.check(where + "models[" + i + "].path", spec.models().get(i).path());
    }
    roots.check(where + "output", spec.output());
    for (Map.Entry<String, TaskSpec> task : spec.declaredTasks().entrySet()) {
      String field = where + "tasks." + task.getKey();
      TaskSpec t = task.getValue();
      if (t.command() != null && !allowCommandTasks) {
        throw new InvalidInputException(field + ".command: command tasks run programs on the node and are off for "
            + "posted specs (automerge.api.allow-command-tasks)");
      }
      checkAll(field + ".validation", t.validation());
      checkAll(field + ".test", t.test());
      if (t.tokenizer() != null) {
        roots.check(field + ".tokenizer", t.tokenizer());
      }
      if (t.workingDir() != null) {
        roots.check(field + ".working_dir", t.workingDir());
      }
    }
    ModelTasks.preflight(spec, NAME);
    return spec;
  }

  private void checkAll(String field, List<String> paths) {
    if (paths == null) {
      return;
    }
    for (int i = 0; i < paths.size(); i++) {
      roots.check(field + (paths.size() > 1 ? "[" + i + "]" : ""), paths.get(i));
    }
  }
}
