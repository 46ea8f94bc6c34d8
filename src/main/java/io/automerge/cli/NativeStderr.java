package io.automerge.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Native libraries write warnings straight to file descriptor 2 (PyTorch's "[W… LegacyTypeDispatch.h]
 * AutoNonVariableTypeMode is deprecated" on the first forward pass), past any Java logging. On
 * Linux, point descriptor 2 at the log file and keep Java's System.err on the terminal through a
 * duplicate of the old descriptor. Anywhere else, or when it fails, nothing changes.
 */
final class NativeStderr {
  private static final int O_WRONLY = 1;
  private static final int O_CREAT = 0100;
  private static final int O_APPEND = 02000;

  /** The C library calls this needs. */
  public interface LibC extends Library {
    int dup(int fd);

    int dup2(int fd, int target);

    int open(String path, int flags, int mode);

    long write(int fd, byte[] buffer, long count);
  }

  private NativeStderr() {}

  static void divertTo(Path logFile) {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return;
    }
    try {
      Files.createDirectories(logFile.getParent());
      LibC c = Native.load("c", LibC.class);
      int terminal = c.dup(2);
      int log = c.open(logFile.toString(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (terminal < 0 || log < 0) {
        return;
      }
      System.err.flush();
      System.setErr(new PrintStream(new FdStream(c, terminal), true, StandardCharsets.UTF_8));
      c.dup2(log, 2);
    } catch (Throwable notAvailable) {
      // no JNA or no libc: native warnings stay on the terminal
    }
  }

  private static final class FdStream extends OutputStream {
    private final LibC c;
    private final int fd;

    FdStream(LibC c, int fd) {
      this.c = c;
      this.fd = fd;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      byte[] chunk = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
      int done = 0;
      while (done < len) {
        long n = c.write(fd, done == 0 ? chunk : java.util.Arrays.copyOfRange(chunk, done, len), len - done);
        if (n <= 0) {
          return;
        }
        done += (int) n;
      }
    }
  }
}
