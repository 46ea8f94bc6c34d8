package io.automerge.data;

import io.automerge.InvalidInputException;
import io.automerge.data.tokenizer.TextTokenizer;
import io.automerge.data.tokenizer.Tokenizers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The registry of declared task types: per type its spec fields, the kind of model it scores,
 * its metrics (and which are lower-is-better) and its loader. The loss is the task's own:
 * token-weighted next-token cross-entropy, the correct choice's cross-entropy, image
 * cross-entropy, or what the program prints.
 */
public enum TaskType {
  TEXT("text", ModelKind.TEXT, List.of("validation", "test", "field", "tokenizer", "max_tokens"),
      List.of("perplexity", "token_accuracy"), TokenTask.LOWER_IS_BETTER),
  COMPLETION("completion", ModelKind.TEXT, List.of("validation", "test", "tokenizer", "max_tokens"),
      List.of("perplexity", "token_accuracy"), TokenTask.LOWER_IS_BETTER),
  MULTIPLE_CHOICE("multiple_choice", ModelKind.TEXT, List.of("validation", "test", "tokenizer", "max_tokens"),
      List.of("accuracy", "accuracy_norm"), Set.of()),
  IMAGE_FOLDER("image_folder", ModelKind.IMAGE, List.of("validation", "test", "labels", "do_resize", "size", "do_rescale",
      "rescale_factor", "do_normalize", "image_mean", "image_std"), List.of("top1", "top5"), Set.of()),
  /** Any model kind; metrics are whatever the program prints. */
  COMMAND("command", null, List.of("command", "timeout_s", "lower_is_better", "working_dir"), List.of(), Set.of());

  /** Longest default window: a model's positions, but no more than this many tokens. */
  public static final int DEFAULT_MAX_TOKENS = 1024;

  private final String key;
  private final ModelKind kind;
  private final List<String> fields;
  private final List<String> metrics;
  private final Set<String> lowerIsBetter;

  TaskType(String key, ModelKind kind, List<String> fields, List<String> metrics, Set<String> lowerIsBetter) {
    this.key = key;
    this.kind = kind;
    this.fields = fields;
    this.metrics = metrics;
    this.lowerIsBetter = lowerIsBetter;
  }

  public String key() {
    return key;
  }

  /** The model kind it scores; null: any (a command). */
  public ModelKind kind() {
    return kind;
  }

  public List<String> metrics() {
    return metrics;
  }

  public Set<String> lowerIsBetter() {
    return lowerIsBetter;
  }

  public static List<String> keys() {
    return Arrays.stream(values()).map(TaskType::key).toList();
  }

  /** The type of a declared task, with its fields checked; one line naming the task and field. */
  public static TaskType of(String name, TaskSpec spec) {
    String where = "tasks." + name;
    if (spec == null) {
      throw new InvalidInputException(where + ": expected a mapping with a type (one of " + keys() + ")");
    }
    if (spec.type() == null) {
      throw new InvalidInputException(where + ".type: required (one of " + keys() + ")");
    }
    TaskType type = Arrays.stream(values()).filter(t -> t.key.equals(spec.type().trim().toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new InvalidInputException(where + ".type: unknown task type '" + spec.type() + "' (expected one of " + keys() + ")"));
    for (String field : spec.givenFields()) {
      if (!field.equals("type") && !type.fields.contains(field)) {
        throw new InvalidInputException(where + "." + field + ": does not apply to type " + type.key + " (its fields: type, "
            + String.join(", ", type.fields) + ")");
      }
    }
    if (type != COMMAND && (spec.validation() == null || spec.validation().isEmpty())) {
      throw new InvalidInputException(where + ".validation: required (the files or directory of the validation split)");
    }
    if (spec.maxTokens() != null && spec.maxTokens() < 2) {
      throw new InvalidInputException(where + ".max_tokens: must be at least 2 (got " + spec.maxTokens() + ")");
    }
    return type;
  }

  /** Loads the task's {@code splits} for a model; every data error names its file, line or field. */
  public ModelTask load(String name, TaskSpec spec, ModelFacts model, Set<Split> splits) {
    String where = "tasks." + name;
    if (kind != null && kind != model.kind()) {
      throw new InvalidInputException(where + ": a " + key + " task scores " + kind.description() + ", but " + model.describe()
          + " is " + model.kind().description());
    }
    return switch (this) {
      case COMMAND -> CommandTask.of(name, spec);
      case IMAGE_FOLDER -> ImageFolderTask.load(name, spec, splits, model);
      case TEXT, COMPLETION, MULTIPLE_CHOICE -> {
        int maxTokens = maxTokens(where, spec, model);
        try (TextTokenizer tokenizer = tokenizer(spec, model)) {
          Tokenizers.checkFits(tokenizer, model.outputs(), model.describe());
          yield switch (this) {
            case TEXT -> TokenTask.text(name, read(splits, spec, where, s -> DataFiles.documents(s, spec.field() == null ? "text" : spec.field())),
                tokenizer, maxTokens);
            case COMPLETION -> TokenTask.completion(name, read(splits, spec, where, s -> DataFiles.jsonl(s, where)), tokenizer, maxTokens);
            default -> MultipleChoiceTask.load(name, read(splits, spec, where, s -> DataFiles.jsonl(s, where)), tokenizer, maxTokens);
          };
        }
      }
    };
  }

  private static int maxTokens(String where, TaskSpec spec, ModelFacts model) {
    if (spec.maxTokens() == null) {
      return Math.min(DEFAULT_MAX_TOKENS, model.maxPositions());
    }
    if (spec.maxTokens() > model.maxPositions()) {
      throw new InvalidInputException(where + ".max_tokens: " + spec.maxTokens() + " exceeds the " + model.maxPositions()
          + " positions of " + model.describe() + " (max_position_embeddings)");
    }
    return spec.maxTokens();
  }

  private static TextTokenizer tokenizer(TaskSpec spec, ModelFacts model) {
    return spec.tokenizer() == null ? Tokenizers.forModel(model.dir()) : Tokenizers.load(Path.of(spec.tokenizer()));
  }

  private static <T> Map<Split, List<T>> read(Set<Split> splits, TaskSpec spec, String where,
      java.util.function.Function<List<Path>, List<T>> reader) {
    Map<Split, List<T>> out = new EnumMap<>(Split.class);
    for (Split split : splits) {
      out.put(split, reader.apply(DataFiles.list(spec.files(split, where), where + "." + TaskSpec.splitField(split))));
    }
    return out;
  }
}
