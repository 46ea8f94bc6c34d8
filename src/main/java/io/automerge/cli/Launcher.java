package io.automerge.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** How this process was started, so that hints can give a command to copy: `java -jar …/automerge.jar` or `automerge`. */
final class Launcher {
  private Launcher() {}

  static String command() {
    try {
      Path code = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.toString().endsWith(".jar") ? "java -jar " + code.toAbsolutePath().normalize() : "automerge";
    } catch (URISyntaxException | RuntimeException e) {
      return "automerge";
    }
  }
}
