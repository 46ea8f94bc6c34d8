package io.automerge.data;

import io.automerge.InvalidInputException;
import java.util.Locale;

/** The three splits every task offers; {@code VAL} is carved from the training data. */
public enum Split {
  TRAIN,
  VAL,
  TEST;

  public static Split parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("unknown split '" + name + "' (expected train, val or test)");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
