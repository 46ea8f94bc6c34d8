package io.automerge.data;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Python source: the standard library the Debian package {@code python3} ships under
 * /usr/lib/python3.X (third-party {@code site-packages}/{@code dist-packages} and caches left
 * out). Each {@code .py} file is one document; files are sorted by relative path and split by
 * position: file i is test when i % 10 == 0, val when i % 10 == 1, train otherwise.
 */
public final class PythonStdlib {
  public static final Path DEFAULT_PARENT = Path.of("/usr/lib");
  static final int PERIOD = 10;
  static final int TEST_SLOT = 0;
  static final int VAL_SLOT = 1;
  private static final Set<String> SKIPPED_DIRS = Set.of("site-packages", "dist-packages", "__pycache__");

  /** The files of each split (relative paths) and their contents. */
  public record Corpus(TextSplits splits, List<String> files) {}

  private static final Map<Path, Corpus> CACHE = new ConcurrentHashMap<>();

  private PythonStdlib() {}

  /**
   * The library to read: {@code -Dautomerge.data.python=DIR}, else the newest /usr/lib/python3.X
   * (by minor version); null when there is none.
   */
  public static Path root() {
    String override = System.getProperty("automerge.data.python");
    if (override != null) {
      return Path.of(override);
    }
    try (Stream<Path> list = Files.list(DEFAULT_PARENT)) {
      return list.filter(p -> p.getFileName().toString().matches("python3\\.[0-9]+") && Files.isDirectory(p))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring("python3.".length()))))
          .orElse(DEFAULT_PARENT.resolve("python3"));
    } catch (IOException e) {
      return DEFAULT_PARENT.resolve("python3");
    }
  }

  public static Corpus load(Path root) {
    return CACHE.computeIfAbsent(root.toAbsolutePath(), PythonStdlib::read);
  }

  private static Corpus read(Path root) {
    List<Path> files = sourceFiles(root);
    if (files.isEmpty()) {
      throw new InvalidInputException("no Python standard library (*.py) under " + root
          + ": install the Debian package python3 (apt-get install python3), or set -Dautomerge.data.python=DIR");
    }
    List<byte[]> documents = new ArrayList<>(files.size());
    List<String> names = new ArrayList<>(files.size());
    for (Path f : files) {
      try {
        documents.add(Files.readAllBytes(f));
      } catch (IOException e) {
        throw new InvalidInputException(f + ": unreadable Python file (" + e.getMessage() + ")", e);
      }
      names.add(root.relativize(f).toString());
    }
    return new Corpus(TextSplits.byPosition(documents, PERIOD, TEST_SLOT, VAL_SLOT), List.copyOf(names));
  }

  /** Non-empty regular {@code .py} files (no symlinks), sorted by path relative to {@code root}. */
  static List<Path> sourceFiles(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".py"))
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> !skipped(root.relativize(p)))
          .filter(p -> size(p) > 0)
          .sorted(Comparator.comparing(p -> root.relativize(p).toString()))
          .toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new InvalidInputException(root + ": cannot list Python files (" + e.getMessage() + ")", e);
    }
  }

  private static boolean skipped(Path relative) {
    for (Path part : relative) {
      if (SKIPPED_DIRS.contains(part.toString())) {
        return true;
      }
    }
    return false;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
