package io.automerge.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a task needs to know about the model it is scored on, read from its checkpoint directory.
 *
 * @param dir the checkpoint directory (tokenizer.json, preprocessor_config.json, config.json)
 * @param outputs classes of an image classifier's head, or a language model's vocab_size
 * @param maxPositions the longest token sequence a language model reads (0 for images)
 * @param imageSize side of the square images a classifier reads (0 for text)
 * @param channels image channels the classifier reads (0 for text)
 * @param label2id config.json's label2id (empty when absent)
 */
public record ModelFacts(Path dir, ModelKind kind, int outputs, int maxPositions, int imageSize, int channels,
    Map<String, Integer> label2id) {
  public ModelFacts {
    label2id = Map.copyOf(label2id);
  }

  /** How the model is named in messages. */
  public String describe() {
    return "model " + dir;
  }
}
