package io.automerge.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Hugging Face image-processor fields AutoMerge honours, as {@code preprocessor_config.json}
 * holds them: resize to {@code size}, multiply by {@code rescale_factor}, normalize per channel.
 * Unset fields take the defaults of transformers' base image processor (rescale by 1/255), except
 * that nothing is resized or normalized unless asked.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageProcessing(
    @JsonProperty("do_resize") Boolean doResize,
    Size size,
    @JsonProperty("do_rescale") Boolean doRescale,
    @JsonProperty("rescale_factor") Double rescaleFactor,
    @JsonProperty("do_normalize") Boolean doNormalize,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("image_mean") List<Double> imageMean,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("image_std") List<Double> imageStd) {

  public static final String FILE = "preprocessor_config.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** HF's {@code size}: {@code {height, width}}, {@code {shortest_edge}}, or (older configs) one number. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Size(Integer height, Integer width, @JsonProperty("shortest_edge") Integer shortestEdge) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Size square(int side) {
      return new Size(side, side, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public Size {}
  }

  /** The model directory's preprocessor_config.json, or null when it has none. */
  public static ImageProcessing ofModel(Path modelDir) {
    Path file = modelDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), ImageProcessing.class);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": not a valid preprocessor config ("
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")", e);
    }
  }

  public ObjectNode toJson() {
    ObjectNode node = JSON.valueToTree(this);
    node.put("image_processor_type", "BaseImageProcessor");
    return node;
  }

  public boolean resize() {
    return Boolean.TRUE.equals(doResize) && size != null;
  }

  public boolean rescale() {
    return !Boolean.FALSE.equals(doRescale);
  }

  public double factor() {
    return rescaleFactor == null ? 1.0 / 255 : rescaleFactor;
  }

  public boolean normalize() {
    return Boolean.TRUE.equals(doNormalize);
  }

  /** Checks the fields against a model that reads {@code channels}; {@code where} names the source. */
  public ImageProcessing checked(int channels, String where) {
    if (Boolean.TRUE.equals(doResize) && size == null) {
      throw new InvalidInputException(where + ": do_resize needs size");
    }
    if (size != null && (size.shortestEdge() == null) && (size.height() == null || size.width() == null)) {
      throw new InvalidInputException(where + ": size: expected {height, width}, {shortest_edge} or a number");
    }
    if (rescaleFactor != null && !(rescaleFactor > 0)) {
      throw new InvalidInputException(where + ": rescale_factor must be positive (got " + rescaleFactor + ")");
    }
    if (normalize()) {
      for (var list : List.of(List.of("image_mean", String.valueOf(imageMean)), List.of("image_std", String.valueOf(imageStd)))) {
        List<Double> values = list.get(0).equals("image_mean") ? imageMean : imageStd;
        if (values == null || (values.size() != 1 && values.size() != channels)) {
          throw new InvalidInputException(where + ": " + list.get(0) + ": expected 1 or " + channels + " values (got " + list.get(1) + ")");
        }
      }
      if (imageStd.stream().anyMatch(s -> !(s > 0))) {
        throw new InvalidInputException(where + ": image_std must be positive (got " + imageStd + ")");
      }
    }
    return this;
  }
}
