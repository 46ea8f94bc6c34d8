package io.automerge.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.data.NextByteTask;
import io.automerge.data.Task;
import io.automerge.data.Tasks;

/** Parses a task for a given model, so text windows never exceed the positions the model covers. */
public final class ModelTasks {
  private ModelTasks() {}

  public static Task parse(JsonNode modelConfig, String taskName) {
    int context = Math.min(NextByteTask.DEFAULT_CONTEXT,
        modelConfig.path("max_position_embeddings").asInt(NextByteTask.DEFAULT_CONTEXT));
    return Tasks.parse(taskName, context);
  }
}
