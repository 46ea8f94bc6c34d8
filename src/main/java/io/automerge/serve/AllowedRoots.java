package io.automerge.serve;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The directories a posted spec may name. A path counts as inside only after normalization and
 * with every symlink resolved, so neither {@code ..} nor a link out of a root gets past it; a path
 * that does not exist yet (an output directory) is judged by its nearest existing ancestor.
 */
public final class AllowedRoots {
  private final List<Path> roots;

  public AllowedRoots(List<Path> roots) {
    this.roots = roots.stream().map(AllowedRoots::real).toList();
  }

  public List<Path> roots() {
    return roots;
  }

  /** Throws, naming {@code field}, unless {@code path} lies under one of the roots. */
  public void check(String field, String path) {
    Path real = real(Path.of(path).toAbsolutePath());
    if (roots.stream().noneMatch(real::startsWith)) {
      throw new InvalidInputException(field + ": " + path + " is outside the allowed roots " + roots
          + " (automerge.api.allowed-roots)");
    }
  }

  /** The path with every existing part's symlinks resolved, the rest appended as normalized. */
  static Path real(Path path) {
    // No lexical normalization first: root/link/.. is where the link points, not root.
    Path absolute = path.toAbsolutePath();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
