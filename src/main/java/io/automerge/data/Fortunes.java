package io.automerge.data;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Fortune-cookie text from the Debian packages {@code fortunes} (English, plain files directly
 * under /usr/share/games/fortunes) and {@code fortunes-de} (German, UTF-8, under .../de). Files
 * are split into test files (every fifth, in name order) and training files; each entry (text
 * between {@code %} lines) is one unit the val split can be carved from.
 */
public final class Fortunes {
  public static final Path DEFAULT_ROOT = Path.of("/usr/share/games/fortunes");

  /** Entries of the training files and of the held-out test files (and those joined). */
  public record Corpus(List<byte[]> trainEntries, List<byte[]> testEntries, List<String> testFiles) {
    public byte[] testText() {
      return joinEntries(testEntries);
    }
  }

  public enum Language {
    EN("en", "fortunes", ""),
    DE("de", "fortunes-de", "de");

    final String code;
    final String debianPackage;
    final String subdir;

    Language(String code, String debianPackage, String subdir) {
      this.code = code;
      this.debianPackage = debianPackage;
      this.subdir = subdir;
    }

    public String code() {
      return code;
    }
  }

  private static final Map<Path, Corpus> CACHE = new ConcurrentHashMap<>();

  private Fortunes() {}

  /** The root to read, overridable with {@code -Dautomerge.data.fortunes=DIR}. */
  public static Path root() {
    return Path.of(System.getProperty("automerge.data.fortunes", DEFAULT_ROOT.toString()));
  }

  public static Corpus load(Path root, Language language) {
    Path dir = language.subdir.isEmpty() ? root : root.resolve(language.subdir);
    return CACHE.computeIfAbsent(dir.toAbsolutePath(), d -> read(d, language));
  }

  private static Corpus read(Path dir, Language language) {
    List<Path> files = textFiles(dir);
    if (files.isEmpty()) {
      throw new InvalidInputException(
          "no "
              + (language == Language.EN ? "English" : "German")
              + " fortunes under "
              + dir
              + ": install the Debian package "
              + language.debianPackage
              + " (apt-get install "
              + language.debianPackage
              + ")");
    }
    List<byte[]> trainEntries = new ArrayList<>();
    List<byte[]> testEntries = new ArrayList<>();
    List<String> testFiles = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      byte[] bytes = readAll(files.get(i));
      if (i % 5 == 2) {
        testEntries.addAll(entries(bytes));
        testFiles.add(files.get(i).getFileName().toString());
      } else {
        trainEntries.addAll(entries(bytes));
      }
    }
    return new Corpus(List.copyOf(trainEntries), List.copyOf(testEntries), List.copyOf(testFiles));
  }

  /** Plain, non-empty regular files (no symlinks, no {@code .dat}/{@code .u8}), by name. */
  static List<Path> textFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> !p.getFileName().toString().endsWith(".dat"))
          .filter(p -> !p.getFileName().toString().endsWith(".u8"))
          .filter(p -> size(p) > 0)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new InvalidInputException(dir + ": cannot list fortunes (" + e.getMessage() + ")", e);
    }
  }

  /** Entries separated by lines holding a single {@code %}; each keeps its trailing newline. */
  static List<byte[]> entries(byte[] file) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    int lineStart = 0;
    for (int i = 0; i <= file.length; i++) {
      if (i == file.length || file[i] == '\n') {
        int lineEnd = i;
        boolean separator = lineEnd - lineStart == 1 && file[lineStart] == '%';
        if (separator || i == file.length) {
          int end = separator ? lineStart : file.length;
          if (end > start) {
            out.add(java.util.Arrays.copyOfRange(file, start, end));
          }
          start = Math.min(i + 1, file.length);
        }
        lineStart = i + 1;
      }
    }
    return out;
  }

  static byte[] joinEntries(List<byte[]> entries) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] e : entries) {
      out.writeBytes(e);
      if (e.length > 0 && e[e.length - 1] != '\n') {
        out.write('\n');
      }
    }
    return out.toByteArray();
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static byte[] readAll(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new InvalidInputException(p + ": unreadable fortune file (" + e.getMessage() + ")", e);
    }
  }
}
