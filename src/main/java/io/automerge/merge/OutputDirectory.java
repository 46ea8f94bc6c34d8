package io.automerge.merge;

import io.automerge.util.FileTrees;
import io.automerge.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output directory written under a temporary sibling name ({@code .NAME.tmp-PID}) and renamed
 * into place by {@link #commit()}; {@link #close()} without commit deletes the temporary, so a
 * failed run leaves nothing at the target.
 */
final class OutputDirectory implements AutoCloseable {
  private final Path target;
  private final Path temporary;
  private final boolean overwrite;
  private boolean committed;

  private OutputDirectory(Path target, Path temporary, boolean overwrite) {
    this.target = target;
    this.temporary = temporary;
    this.overwrite = overwrite;
  }

  static void checkTarget(Path target, boolean overwrite) {
    if (Files.exists(target) && !overwrite && !isEmptyDirectory(target)) {
      throw new InvalidInputException(target + ": exists and is not empty (use --overwrite to replace it)");
    }
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new InvalidInputException(target + ": exists and is not a directory");
    }
  }

  static OutputDirectory create(Path target, boolean overwrite) {
    Path absolute = target.toAbsolutePath().normalize();
    checkTarget(absolute, overwrite);
    Path temporary = absolute.resolveSibling(
        "." + absolute.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      FileTrees.delete(temporary);
      Files.createDirectories(temporary);
    } catch (IOException e) {
      throw new InvalidInputException(target + ": cannot create output directory: " + e.getMessage(), e);
    }
    return new OutputDirectory(absolute, temporary, overwrite);
  }

  Path temporary() {
    return temporary;
  }

  Path target() {
    return target;
  }

  /** Moves the finished temporary directory to the target (replacing it when allowed). */
  void commit() {
    try {
      checkTarget(target, overwrite);
      if (Files.exists(target)) {
        FileTrees.delete(target);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      committed = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + temporary + " to " + target, e);
    }
  }

  @Override
  public void close() {
    if (!committed) {
      try {
        FileTrees.delete(temporary);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + temporary, e);
      }
    }
  }

  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return !entries.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

}
