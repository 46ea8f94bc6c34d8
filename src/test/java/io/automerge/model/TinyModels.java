package io.automerge.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.model.cct.CctConfig;
import io.automerge.model.llama.LlamaConfig;

/** Configurations small enough for tests that run in a second. */
final class TinyModels {
  private TinyModels() {}

  static ObjectNode cct() {
    return new CctConfig(28, 1, 10, new int[] {4, 8}, 3, 1, 2, 16, 1e-5).toJson();
  }

  static ObjectNode llama(boolean tied) {
    return new LlamaConfig(256, 16, 32, 2, 4, 2, 4, 1e-5, 10000.0, 64, tied, false, false).toJson();
  }
}
