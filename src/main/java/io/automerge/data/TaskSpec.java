package io.automerge.data;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One entry of a spec's {@code tasks:} map, as the user wrote it (field names are the YAML's).
 * Which fields apply depends on {@link TaskType}; paths are absolute once {@link #resolved}, so
 * the spec persisted with a search means the same thing wherever it is replayed.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(
    String type,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> validation,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> test,
    String field,
    String tokenizer,
    @JsonProperty("max_tokens") Integer maxTokens,
    Map<String, Integer> labels,
    @JsonProperty("do_resize") Boolean doResize,
    ImageProcessing.Size size,
    @JsonProperty("do_rescale") Boolean doRescale,
    @JsonProperty("rescale_factor") Double rescaleFactor,
    @JsonProperty("do_normalize") Boolean doNormalize,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("image_mean") List<Double> imageMean,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("image_std") List<Double> imageStd,
    List<String> command,
    @JsonProperty("timeout_s") Integer timeoutS,
    @JsonProperty("lower_is_better") List<String> lowerIsBetter,
    @JsonProperty("working_dir") String workingDir) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Paths made absolute against {@code dir} (the spec's directory); a command runs there by default. */
  public TaskSpec resolved(Path dir) {
    return new TaskSpec(type, resolve(dir, validation), resolve(dir, test), field,
        tokenizer == null ? null : resolve(dir, tokenizer), maxTokens, labels, doResize, size, doRescale, rescaleFactor,
        doNormalize, imageMean, imageStd, command, timeoutS, lowerIsBetter,
        command == null ? workingDir : resolve(dir, workingDir == null ? "." : workingDir));
  }

  /** The fields the user set, by their YAML names, in declaration order. */
  public List<String> givenFields() {
    ObjectNode node = JSON.valueToTree(this);
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  /** The split's files or directories; an InvalidInputException naming the field when not declared. */
  public List<String> files(Split split, String where) {
    List<String> files = split == Split.TEST ? test : split == Split.VAL ? validation : null;
    if (files == null || files.isEmpty()) {
      throw new InvalidInputException(where + "." + splitField(split) + ": not declared (needed for the " + split.label() + " split)");
    }
    return files;
  }

  public static String splitField(Split split) {
    return split == Split.TEST ? "test" : "validation";
  }

  /** The spec's image preprocessing fields (used when the model has no preprocessor_config.json). */
  public ImageProcessing imageProcessing() {
    return new ImageProcessing(doResize, size, doRescale, rescaleFactor, doNormalize, imageMean, imageStd);
  }

  private static List<String> resolve(Path dir, List<String> paths) {
    return paths == null ? null : paths.stream().map(p -> resolve(dir, p)).toList();
  }

  private static String resolve(Path dir, String path) {
    return dir.resolve(path).normalize().toAbsolutePath().toString();
  }
}
