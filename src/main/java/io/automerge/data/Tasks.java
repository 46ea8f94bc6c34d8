package io.automerge.data;

import io.automerge.InvalidInputException;
import io.automerge.data.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses task names into tasks; the one place that knows every dataset. */
public final class Tasks {
  public static final String FASHION = "fashion-mnist:";
  public static final String FORTUNES = "fortunes:";
  public static final String PYTHON = "python:";
  public static final String PYTHON_STDLIB = PYTHON + "stdlib";
  /** A comma starts a new task only when a dataset prefix follows it. */
  private static final Pattern TASK_START = Pattern.compile(",(?=\\s*(" + Pattern.quote(FASHION) + "|" + Pattern.quote(FORTUNES) + "|" + Pattern.quote(PYTHON) + "))");

  private static final int[] TOPS = {0, 2, 3, 4, 6};
  private static final int[] OTHERS = {1, 5, 7, 8, 9};

  private Tasks() {}

  public static Task parse(String name) {
    return parse(name, NextByteTask.DEFAULT_CONTEXT);
  }

  /** Parses a task; {@code context} is the window length of text tasks (byte-level). */
  public static Task parse(String name, int context) {
    return parse(name, context, null);
  }

  /**
   * Parses a task; text tasks read {@code context}-id windows of {@code tokenizer}'s ids (null:
   * of bytes, for a model without a tokenizer.json).
   */
  public static Task parse(String name, int context, TextTokenizer tokenizer) {
    String n = name.trim();
    if (n.startsWith(FASHION)) {
      BitSet classes = fashionClasses(n, n.substring(FASHION.length()));
      return new ImageClassificationTask(
          n, classes, FashionMnist.train(FashionMnist.dir()), FashionMnist.test(FashionMnist.dir()));
    }
    if (n.startsWith(FORTUNES)) {
      String lang = n.substring(FORTUNES.length());
      Fortunes.Language language =
          switch (lang) {
            case "en" -> Fortunes.Language.EN;
            case "de" -> Fortunes.Language.DE;
            default -> throw new InvalidInputException("task '" + n + "': unknown language '" + lang + "' (expected fortunes:en or fortunes:de)");
          };
      if (context < 1) {
        throw new InvalidInputException("task '" + n + "': context length must be positive, got " + context);
      }
      return new NextByteTask(n, Fortunes.load(Fortunes.root(), language), context, tokenizer);
    }
    if (n.startsWith(PYTHON)) {
      if (!n.equals(PYTHON_STDLIB)) {
        throw new InvalidInputException("task '" + n + "': unknown Python corpus (expected " + PYTHON_STDLIB + ")");
      }
      if (context < 1) {
        throw new InvalidInputException("task '" + n + "': context length must be positive, got " + context);
      }
      return new NextByteTask(n, PythonStdlib.load(PythonStdlib.root()).splits(), context, tokenizer);
    }
    throw new InvalidInputException(
        "unknown task '" + n + "' (expected fashion-mnist:tops|others|all|classes=a,b,..., fortunes:en|de or python:stdlib)");
  }

  /** True when the name belongs to a built-in dataset (it may still be malformed). */
  public static boolean isBuiltIn(String name) {
    String n = name.trim();
    return n.startsWith(FASHION) || n.startsWith(FORTUNES) || n.startsWith(PYTHON);
  }

  /**
   * The training documents of a built-in text task, which a pair's BPE learns from: a fortunes
   * language's training files (val is carved from them later), Python's train split.
   */
  public static List<byte[]> trainDocuments(String name) {
    String n = name.trim();
    if (n.equals(PYTHON_STDLIB)) {
      return PythonStdlib.load(PythonStdlib.root()).splits().train();
    }
    return switch (n) {
      case FORTUNES + "en" -> Fortunes.load(Fortunes.root(), Fortunes.Language.EN).trainEntries();
      case FORTUNES + "de" -> Fortunes.load(Fortunes.root(), Fortunes.Language.DE).trainEntries();
      default -> throw new InvalidInputException("task '" + n + "' is not a built-in text task (fortunes:en|de or python:stdlib)");
    };
  }

  /** Splits {@code a,b} where task names may themselves hold commas ({@code classes=0,1}). */
  public static List<String> splitList(String csv) {
    List<String> out = new ArrayList<>();
    for (String part : TASK_START.split(csv.trim())) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  /** True when the task reads images (it then wants an image classifier). */
  public static boolean isImageTask(String name) {
    return name.trim().startsWith(FASHION);
  }

  private static BitSet fashionClasses(String task, String selector) {
    BitSet set = new BitSet(FashionMnist.CLASSES);
    switch (selector) {
      case "tops" -> java.util.Arrays.stream(TOPS).forEach(set::set);
      case "others" -> java.util.Arrays.stream(OTHERS).forEach(set::set);
      case "all" -> set.set(0, FashionMnist.CLASSES);
      default -> {
        Matcher m = Pattern.compile("classes=([0-9]+(,[0-9]+)*)").matcher(selector);
        if (!m.matches()) {
          throw new InvalidInputException(
              "task '" + task + "': expected fashion-mnist:tops, :others, :all or :classes=a,b,...");
        }
        for (String c : m.group(1).split(",")) {
          int cls = Integer.parseInt(c);
          if (cls >= FashionMnist.CLASSES) {
            throw new InvalidInputException("task '" + task + "': class " + cls + " is not in 0..9");
          }
          set.set(cls);
        }
      }
    }
    return set;
  }
}
