package io.automerge.data;

import io.automerge.InvalidInputException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/** Fashion-MNIST as installed by the Debian package {@code dataset-fashion-mnist} (IDX, gzipped). */
public final class FashionMnist {
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  public static final int SIDE = 28;
  public static final int CLASSES = 10;
  /** Class names, folder-safe, by label. */
  public static final List<String> LABELS =
      List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot");
  /**
   * How the built-in task feeds pixels to a model, as HF image-processor fields: x / 255, then
   * (x - 0.2860) / 0.3530. The example CCT checkpoints carry it as preprocessor_config.json.
   */
  public static final ImageProcessing PREPROCESSING =
      new ImageProcessing(false, null, true, 1.0 / 255, true, List.of(0.2860), List.of(0.3530));

  /** Raw pixels (row-major, one byte each) and labels of one official file pair. */
  public record Images(byte[] pixels, byte[] labels) {
    public int count() {
      return labels.length;
    }
  }

  private static final Map<Path, Images> CACHE = new ConcurrentHashMap<>();

  private FashionMnist() {}

  /** The directory to read, overridable with {@code -Dautomerge.data.fashion-mnist=DIR}. */
  public static Path dir() {
    return Path.of(System.getProperty("automerge.data.fashion-mnist", DEFAULT_DIR.toString()));
  }

  public static Images train(Path dir) {
    return load(dir, "train");
  }

  public static Images test(Path dir) {
    return load(dir, "t10k");
  }

  private static Images load(Path dir, String prefix) {
    Path images = dir.resolve(prefix + "-images-idx3-ubyte.gz");
    Path labels = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
    return CACHE.computeIfAbsent(images, key -> read(images, labels));
  }

  private static Images read(Path images, Path labels) {
    for (Path p : new Path[] {images, labels}) {
      if (!Files.isRegularFile(p)) {
        throw new InvalidInputException(
            "Fashion-MNIST file "
                + p
                + " not found: install the Debian package dataset-fashion-mnist"
                + " (apt-get install dataset-fashion-mnist)");
      }
    }
    byte[] pixels = readIdx(images, 2051, SIDE * SIDE);
    byte[] labelBytes = readIdx(labels, 2049, 1);
    if (pixels.length != labelBytes.length * SIDE * SIDE) {
      throw new InvalidInputException(images + ": image count does not match " + labels);
    }
    return new Images(pixels, labelBytes);
  }

  private static byte[] readIdx(Path file, int magic, int itemBytes) {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
      int found = in.readInt();
      if (found != magic) {
        throw new InvalidInputException(file + ": not an IDX file (magic " + found + ")");
      }
      int count = in.readInt();
      if (magic == 2051) {
        int rows = in.readInt();
        int cols = in.readInt();
        if (rows != SIDE || cols != SIDE) {
          throw new InvalidInputException(file + ": images are " + rows + "x" + cols + ", not 28x28");
        }
      }
      byte[] data = new byte[Math.multiplyExact(count, itemBytes)];
      in.readFully(data);
      return data;
    } catch (IOException e) {
      throw new InvalidInputException(file + ": unreadable Fashion-MNIST file (" + e.getMessage() + ")", e);
    }
  }
}
