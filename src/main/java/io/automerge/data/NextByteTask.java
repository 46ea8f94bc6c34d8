package io.automerge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.automerge.data.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Next-byte prediction on a text corpus (fortunes, Python source), or next-token prediction when the model has a tokenizer
 * (then every entry is encoded with its special tokens, e.g. a leading BOS, and the encodings are
 * concatenated). An example is a window of {@code context + 1} ids: the model reads the first
 * {@code context} and is scored on each following id. Val and test are cut into consecutive
 * windows; training draws windows at random offsets.
 */
public final class NextByteTask implements Task {
  static final long VAL_SEED = 20_240_602L;
  /** Share of training entries carved out as val. */
  static final double VAL_FRACTION = 0.05;

  public static final int DEFAULT_CONTEXT = 128;
  private static final double LN2 = Math.log(2);

  private final String name;
  private final int context;
  private final boolean tokens;
  private final int[] train;
  private final int[] val;
  private final int[] test;

  /** {@code tokenizer} null: the ids are the bytes. Val is carved from the training files' entries. */
  NextByteTask(String name, Fortunes.Corpus corpus, int context, TextTokenizer tokenizer) {
    this(name, TextSplits.carveVal(corpus.trainEntries(), corpus.testEntries(), VAL_SEED, VAL_FRACTION), context, tokenizer);
  }

  NextByteTask(String name, TextSplits splits, int context, TextTokenizer tokenizer) {
    this.name = name;
    this.context = context;
    this.tokens = tokenizer != null;
    this.val = ids(splits.val(), tokenizer);
    this.train = ids(splits.train(), tokenizer);
    this.test = ids(splits.test(), tokenizer);
  }

  /** The entries joined (bytes), or each entry's encoding with special tokens, concatenated. */
  private static int[] ids(List<byte[]> entries, TextTokenizer tokenizer) {
    if (tokenizer == null) {
      byte[] text = Fortunes.joinEntries(entries);
      int[] out = new int[text.length];
      for (int i = 0; i < text.length; i++) {
        out[i] = text[i] & 0xFF;
      }
      return out;
    }
    java.util.stream.IntStream.Builder out = java.util.stream.IntStream.builder();
    for (byte[] entry : entries) {
      for (long id : tokenizer.encode(new String(entry, java.nio.charset.StandardCharsets.UTF_8), true)) {
        out.add(Math.toIntExact(id));
      }
    }
    return out.build().toArray();
  }

  public int context() {
    return context;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<String> lowerIsBetter() {
    return Set.of(tokens ? "perplexity" : "bits_per_byte");
  }

  @Override
  public int size(Split split) {
    int[] text = text(split);
    return text.length <= context ? 0 : (text.length - 1) / context;
  }

  @Override
  public TaskBatch batch(NDManager manager, Split split, int from, int count) {
    int[] starts = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = (from + i) * context;
    }
    return windows(manager, text(split), starts);
  }

  @Override
  public TaskBatch randomTrainBatch(NDManager manager, Random rng, int count) {
    int[] starts = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = rng.nextInt(train.length - context);
    }
    return windows(manager, train, starts);
  }

  @Override
  public MetricAccumulator newMetrics() {
    return new Accumulator(tokens);
  }

  private int[] text(Split split) {
    return switch (split) {
      case TRAIN -> train;
      case VAL -> val;
      case TEST -> test;
    };
  }

  private TaskBatch windows(NDManager manager, int[] text, int[] starts) {
    long[] x = new long[starts.length * context];
    long[] y = new long[starts.length * context];
    for (int i = 0; i < starts.length; i++) {
      for (int t = 0; t < context; t++) {
        x[i * context + t] = text[starts[i] + t];
        y[i * context + t] = text[starts[i] + t + 1];
      }
    }
    Shape shape = new Shape(starts.length, context);
    return new TaskBatch(manager.create(x, shape), manager.create(y, shape), starts.length);
  }

  /**
   * Loss and accuracy over every predicted id; for bytes bits per byte, for tokens perplexity
   * (the names a declared text task reports).
   */
  private static final class Accumulator implements MetricAccumulator {
    private final boolean tokens;
    private double lossSum;
    private long bytes;
    private long correct;

    Accumulator(boolean tokens) {
      this.tokens = tokens;
    }

    @Override
    public void add(NDArray outputs, NDArray labels) {
      lossSum += Task.crossEntropyPerUnit(outputs, labels).sum().toType(DataType.FLOAT64, false).getDouble();
      correct += outputs.argMax(-1).eq(labels).toType(DataType.INT64, false).sum().getLong();
      bytes += labels.size();
    }

    @Override
    public double meanLoss() {
      return bytes == 0 ? Double.NaN : lossSum / bytes;
    }

    @Override
    public long units() {
      return bytes;
    }

    @Override
    public Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      double accuracy = bytes == 0 ? Double.NaN : (double) correct / bytes;
      if (tokens) {
        m.put("token_accuracy", accuracy);
        m.put("perplexity", Math.exp(meanLoss()));
      } else {
        m.put("next_byte_accuracy", accuracy);
        m.put("bits_per_byte", meanLoss() / LN2);
      }
      return m;
    }
  }
}
