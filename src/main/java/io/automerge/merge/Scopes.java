package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** DJL puts an op's result in its operand's manager; these claim results for a scope. */
final class Scopes {
  private Scopes() {}

  static NDArray own(NDManager scope, NDArray array) {
    array.attach(scope);
    return array;
  }
}
