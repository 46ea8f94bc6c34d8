package io.automerge.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePixelsTest {
  @TempDir Path dir;

  private Path image(String name, int side, int type, Color color) throws Exception {
    BufferedImage image = new BufferedImage(side, side, type);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, side, side);
    g.dispose();
    Path file = dir.resolve(name);
    ImageIO.write(image, name.endsWith(".png") ? "png" : "jpg", file.toFile());
    return file;
  }

  @Test
  void rgbBecomesGrayWithPilsWeightsAndIsResizedToTheModelsSide() throws Exception {
    Path rgb = image("rgb.png", 56, BufferedImage.TYPE_INT_RGB, new Color(200, 100, 50));
    ImageProcessing resize = new ImageProcessing(true, new ImageProcessing.Size(28, 28, null), null, null, null, null, null);
    byte[] gray = ImagePixels.read(rgb, resize, 28, 1);
    int expected = (200 * 19595 + 100 * 38470 + 50 * 7471 + 0x8000) >> 16; // PIL convert("L")
    assertThat(gray).hasSize(28 * 28);
    for (byte b : gray) {
      assertThat(b & 0xFF).isEqualTo(expected);
    }
    byte[] colour = ImagePixels.read(rgb, resize, 28, 3);
    assertThat(colour[0] & 0xFF).isEqualTo(200);
    assertThat(colour[28 * 28] & 0xFF).isEqualTo(100);
    assertThat(colour[2 * 28 * 28] & 0xFF).isEqualTo(50);
  }

  @Test
  void grayIsRepeatedIntoRgbAndAWrongSizeIsNamed() throws Exception {
    Path gray = image("gray.png", 28, BufferedImage.TYPE_BYTE_GRAY, new Color(77, 77, 77));
    ImageProcessing none = new ImageProcessing(null, null, null, null, null, null, null);
    byte[] rgb = ImagePixels.read(gray, none, 28, 3);
    assertThat(List.of(rgb[5] & 0xFF, rgb[28 * 28 + 5] & 0xFF, rgb[2 * 28 * 28 + 5] & 0xFF)).containsOnly(ImagePixels.read(gray, none, 28, 1)[5] & 0xFF);
    assertThatThrownBy(() -> ImagePixels.read(gray, none, 32, 1)).isInstanceOf(InvalidInputException.class)
        .hasMessage(gray + ": image is 28x28, the model reads 32x32 (set do_resize and size to resize)");
  }
}
