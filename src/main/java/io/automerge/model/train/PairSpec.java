package io.automerge.model.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.InvalidInputException;
import io.automerge.data.Tasks;
import io.automerge.data.tokenizer.FortunesBpe;
import io.automerge.model.cct.CctConfig;
import io.automerge.model.llama.LlamaConfig;
import java.util.List;
import java.util.Locale;

/**
 * One example pair: a base trained from scratch on {@code baseTasks} (taken in turn), then one
 * fine-tune of that base per entry of {@code models}, each on its own task only. A text pair with
 * {@code bpeVocabSize > 0} first trains its byte-level BPE of that many ids on the training
 * documents of {@code bpeTasks} and reads its text in those tokens.
 */
public record PairSpec(
    String name,
    ObjectNode config,
    List<String> baseTasks,
    List<TaskModel> models,
    TrainingPlan basePlan,
    TrainingPlan finetunePlan,
    int bpeVocabSize,
    List<String> bpeTasks) {

  /** A fine-tuned model: its directory name and the task it is trained on. */
  public record TaskModel(String name, String task) {}

  public static final String FASHION_CCT = "fashion-cct";
  public static final String FORTUNES_LLAMA = "fortunes-llama";
  public static final String CODE_PROSE_LLAMA = "code-prose-llama";
  public static final List<String> BUILT_IN = List.of(FASHION_CCT, FORTUNES_LLAMA, CODE_PROSE_LLAMA);
  /** The fortunes BPE's corpus: English and German in turn, whatever a text pair's tasks. */
  static final List<String> FORTUNES_BPE_TASKS = List.of(Tasks.FORTUNES + "en", Tasks.FORTUNES + "de");

  public PairSpec {
    baseTasks = List.copyOf(baseTasks);
    models = List.copyOf(models);
    bpeTasks = List.copyOf(bpeTasks);
  }

  public static PairSpec builtIn(String name, long seed) {
    return switch (name) {
      case FASHION_CCT -> fashion(FASHION_CCT, List.of(new TaskModel("tops", "fashion-mnist:tops"), new TaskModel("others", "fashion-mnist:others")), seed);
      case FORTUNES_LLAMA -> fortunes(FORTUNES_LLAMA, List.of(new TaskModel("english", "fortunes:en"), new TaskModel("german", "fortunes:de")), seed);
      case CODE_PROSE_LLAMA -> codeProse(seed);
      default -> throw new InvalidInputException("unknown example pair '" + name + "' (expected one of " + String.join(", ", BUILT_IN) + ")");
    };
  }

  /** A user-defined pair; the task models are named after their tasks. */
  public static PairSpec custom(String name, String architecture, List<String> tasks, long seed) {
    if (tasks.size() < 2) {
      throw new InvalidInputException("--tasks needs at least two tasks, got " + tasks);
    }
    List<TaskModel> models = tasks.stream().map(t -> new TaskModel(directoryName(t), t)).toList();
    boolean images = tasks.stream().allMatch(Tasks::isImageTask);
    boolean text = tasks.stream().noneMatch(Tasks::isImageTask);
    return switch (architecture) {
      case CctConfig.ARCHITECTURE -> {
        if (!images) {
          throw new InvalidInputException("--arch cct trains on image tasks (fashion-mnist:...), got " + tasks);
        }
        yield fashion(name, models, seed);
      }
      case LlamaConfig.ARCHITECTURE -> {
        if (!text) {
          throw new InvalidInputException("--arch llama trains on text tasks (fortunes:...), got " + tasks);
        }
        yield fortunes(name, models, seed);
      }
      default -> throw new InvalidInputException("unknown --arch '" + architecture + "' (expected cct or llama)");
    };
  }

  /** {@code fashion-mnist:classes=0,1} becomes {@code fashion-mnist_classes-0.1}: safe in a shell. */
  public static String directoryName(String task) {
    return task.trim().toLowerCase(Locale.ROOT).replace(':', '_').replace('=', '-').replace(',', '.');
  }

  private static PairSpec fashion(String name, List<TaskModel> models, long seed) {
    // The base sees all ten classes; each fine-tune sees only its own and forgets the rest.
    return new PairSpec(
        name,
        CctConfig.small().toJson(),
        List.of("fashion-mnist:all"),
        models,
        new TrainingPlan(2000, 64, 1e-3f, 5e-5f, 50, seed),
        new TrainingPlan(800, 64, 3e-3f, 5e-5f, 20, seed + 1),
        0,
        List.of());
  }

  private static PairSpec fortunes(String name, List<TaskModel> models, long seed) {
    return llama(name, models, seed, 300);
  }

  /**
   * The paper's Llama-Code vs Llama-Chat in small: a base on Python source and English prose in
   * turn, one fine-tune on each; the BPE is learned from both. The fine-tunes run long enough
   * that each forgets the other domain (its own-domain loss well below the other's).
   */
  private static PairSpec codeProse(long seed) {
    return llama(CODE_PROSE_LLAMA,
        List.of(new TaskModel("code", Tasks.PYTHON_STDLIB), new TaskModel("prose", Tasks.FORTUNES + "en")), seed, 600);
  }

  private static PairSpec llama(String name, List<TaskModel> models, long seed, int fineTuneSteps) {
    // A Hugging Face Llama: the fortunes BPE's ids, its one special token as BOS and EOS.
    ObjectNode config = LlamaConfig.small(FortunesBpe.VOCAB_SIZE).toJson();
    config.put("bos_token_id", FortunesBpe.VOCAB_SIZE - 1);
    config.put("eos_token_id", FortunesBpe.VOCAB_SIZE - 1);
    List<String> tasks = models.stream().map(TaskModel::task).toList();
    return new PairSpec(
        name,
        config,
        tasks,
        models,
        new TrainingPlan(600, 16, 2e-3f, 1e-4f, 50, seed),
        new TrainingPlan(fineTuneSteps, 16, 2e-3f, 5e-5f, 20, seed + 1),
        FortunesBpe.VOCAB_SIZE,
        // Fortunes alone keep the fortunes BPE; other text (Python) brings its own corpus.
        tasks.stream().allMatch(t -> t.startsWith(Tasks.FORTUNES)) ? FORTUNES_BPE_TASKS : tasks);
  }

  /** The same pair with every step count scaled (at least 2 steps), for quick runs. */
  public PairSpec scaled(double factor) {
    return new PairSpec(
        name, config, baseTasks, models, basePlan.withSteps(steps(basePlan, factor)), finetunePlan.withSteps(steps(finetunePlan, factor)), bpeVocabSize, bpeTasks);
  }

  private static int steps(TrainingPlan plan, double factor) {
    return Math.max(2, (int) Math.round(plan.steps() * factor));
  }
}
