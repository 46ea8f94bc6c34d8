package io.automerge.data;

import io.automerge.InvalidInputException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Reads a PNG or JPEG into 8-bit channel-first pixels of the model's size and channels:
 * grayscale becomes RGB by repetition, RGB becomes grayscale with PIL's {@code convert("L")}
 * weights (ITU-R 601-2), alpha is dropped; resizing is bilinear.
 */
final class ImagePixels {
  private ImagePixels() {}

  /** {@code channels x side x side} values 0..255. */
  static byte[] read(Path file, ImageProcessing processing, int side, int channels) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(file + ": unreadable image (" + e.getMessage() + ")", e);
    }
    if (image == null) {
      throw new InvalidInputException(file + ": unreadable image (not a PNG or JPEG file)");
    }
    if (processing.resize()) {
      image = resized(image, processing.size(), file);
    }
    if (image.getWidth() != side || image.getHeight() != side) {
      throw new InvalidInputException(file + ": image is " + image.getWidth() + "x" + image.getHeight() + ", the model reads "
          + side + "x" + side + (processing.resize() ? "" : " (set do_resize and size to resize)"));
    }
    Raster raster = image.getRaster();
    boolean gray = image.getColorModel().getNumColorComponents() == 1;
    int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8); // 16-bit grayscale PNGs
    byte[] out = new byte[channels * side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int r;
        int g;
        int b;
        if (gray) {
          // The raw sample: getRGB would pass it through Java's linear-gray colour space.
          r = g = b = raster.getSample(x, y, 0) >> shift;
        } else {
          int rgb = image.getRGB(x, y);
          r = (rgb >> 16) & 0xFF;
          g = (rgb >> 8) & 0xFF;
          b = rgb & 0xFF;
        }
        int at = y * side + x;
        if (channels == 1) {
          out[at] = (byte) (gray ? r : (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        } else {
          out[at] = (byte) r;
          out[side * side + at] = (byte) g;
          out[2 * side * side + at] = (byte) b;
        }
      }
    }
    return out;
  }

  private static BufferedImage resized(BufferedImage image, ImageProcessing.Size size, Path file) {
    int width;
    int height;
    if (size.shortestEdge() != null) {
      double scale = (double) size.shortestEdge() / Math.min(image.getWidth(), image.getHeight());
      width = (int) Math.round(image.getWidth() * scale);
      height = (int) Math.round(image.getHeight() * scale);
    } else {
      width = size.width();
      height = size.height();
    }
    if (width == image.getWidth() && height == image.getHeight()) {
      return image;
    }
    boolean gray = image.getColorModel().getNumColorComponents() == 1;
    BufferedImage out = new BufferedImage(width, height, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    return out;
  }
}
