package io.automerge.data;

/** What a model reads, which decides the tasks it can be scored on. */
public enum ModelKind {
  /** An image classifier (the CCT): image tasks. */
  IMAGE("an image classifier"),
  /** A causal language model: text, completion and multiple-choice tasks. */
  TEXT("a language model");

  private final String description;

  ModelKind(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
