package io.automerge.cli;

import io.automerge.InvalidInputException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes such as "5GB", "500MB", "2GiB", "1.5gib" or plain bytes. */
final class ByteSizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?b?|b)?");

  private ByteSizes() {}

  static long parse(String text, String option) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new InvalidInputException(option + ": \"" + text + "\" is not a size (e.g. 500MB, 2GiB)");
    }
    double number = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    boolean binary = unit.contains("i");
    int power = "bkmgt".indexOf(unit.charAt(0));
    double bytes = number * Math.pow(binary ? 1024 : 1000, power);
    if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
      throw new InvalidInputException(option + ": \"" + text + "\" is out of range");
    }
    return (long) bytes;
  }
}
