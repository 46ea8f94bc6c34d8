package io.automerge.segment;

import io.automerge.model.ArchitectureModel;
import io.automerge.model.cct.CctArchitecture;
import io.automerge.model.cct.CctConfig;
import io.automerge.model.llama.LlamaArchitecture;
import io.automerge.model.llama.LlamaConfig;

/** Configs small enough to build and run in milliseconds. */
final class TinyModels {
  private TinyModels() {}

  static CctConfig cctConfig(int layers) {
    return new CctConfig(8, 1, 10, new int[] {4, 8}, 3, layers, 2, 16, 1e-5);
  }

  static ArchitectureModel cct(int layers) {
    return CctArchitecture.build(cctConfig(layers));
  }

  static ArchitectureModel llama(int layers, boolean tied) {
    return LlamaArchitecture.build(new LlamaConfig(32, 16, 24, layers, 2, 1, 8, 1e-5, 10000.0, 16, tied, false, false));
  }
}
