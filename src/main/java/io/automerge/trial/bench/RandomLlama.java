package io.automerge.trial.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.data.tokenizer.BpeModel;
import io.automerge.data.tokenizer.BpeTokenizerJson;
import io.automerge.data.tokenizer.BpeTrainer;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.llama.LlamaConfig;
import io.automerge.tensor.CheckpointWriter;
import io.automerge.tensor.DType;
import io.automerge.tensor.FloatBits;
import io.automerge.tensor.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Llama checkpoints in Hugging Face form with random BF16 weights, written tensor by tensor (no
 * model is ever held in memory): a base with HF-like initial values (std 0.02, norms at 1) and
 * sources that add small seeded noise; config.json says {@code LlamaForCausalLM}, and a byte-level
 * BPE tokenizer.json trained on a text is copied beside the weights.
 */
public record RandomLlama(LlamaConfig config) {
  private static final double BASE_STD = 0.02;
  private static final double NOISE_STD = 0.002;

  /** The public TinyLlama-1.1B config: hidden 2048, intermediate 5632, 22 layers, 32 heads, 4 kv heads, vocab 32000. */
  public static RandomLlama tinyLlama() {
    return new RandomLlama(new LlamaConfig(32000, 2048, 5632, 22, 32, 4, 64, 1e-5, 10000.0, 2048, false, false, false));
  }

  /** A Llama of {@code layers} layers at hidden 1024 (16 heads, 4 kv heads), vocab 32000: 13 layers give 211M parameters. */
  public static RandomLlama medium(int layers) {
    return new RandomLlama(new LlamaConfig(32000, 1024, 2816, layers, 16, 4, 64, 1e-5, 10000.0, 2048, false, false, false));
  }

  /**
   * The 136M case: hidden 768, intermediate 2080, 19 layers, 12 heads (no grouping) and a
   * vocabulary of 256, so the byte-level built-in tasks ({@code fortunes:en|de}) read it.
   */
  public static RandomLlama bytes136m() {
    return new RandomLlama(new LlamaConfig(256, 768, 2080, 19, 12, 12, 64, 1e-5, 10000.0, 2048, false, false, false));
  }

  /** Every tensor with its HF name and shape, in the order transformers saves them. */
  public List<TensorSpec> tensors() {
    int h = config.hiddenSize();
    int kv = config.numKeyValueHeads() * config.headDim();
    int q = config.numAttentionHeads() * config.headDim();
    int i = config.intermediateSize();
    List<TensorSpec> out = new ArrayList<>();
    out.add(spec("model.embed_tokens.weight", config.vocabSize(), h));
    for (int l = 0; l < config.numHiddenLayers(); l++) {
      String p = "model.layers." + l + ".";
      out.add(spec(p + "input_layernorm.weight", h));
      out.add(spec(p + "self_attn.q_proj.weight", q, h));
      out.add(spec(p + "self_attn.k_proj.weight", kv, h));
      out.add(spec(p + "self_attn.v_proj.weight", kv, h));
      out.add(spec(p + "self_attn.o_proj.weight", h, q));
      out.add(spec(p + "post_attention_layernorm.weight", h));
      out.add(spec(p + "mlp.gate_proj.weight", i, h));
      out.add(spec(p + "mlp.up_proj.weight", i, h));
      out.add(spec(p + "mlp.down_proj.weight", h, i));
    }
    out.add(spec("model.norm.weight", h));
    out.add(spec("lm_head.weight", config.vocabSize(), h));
    return out;
  }

  public long parameters() {
    return tensors().stream().mapToLong(t -> t.byteSize() / 2).sum();
  }

  private static TensorSpec spec(String name, long... shape) {
    return new TensorSpec(name, DType.BF16, shape);
  }

  /**
   * Writes model {@code index} (0: the base, i > 0: base + noise i) into {@code dir} with
   * config.json and {@code tokenizer} (null: none, the model reads bytes); every value is a pure function of (index, tensor, element).
   */
  public void write(Path dir, int index, Path tokenizer) {
    List<TensorSpec> specs = tensors();
    try (CheckpointWriter writer = CheckpointWriter.create(dir, specs, ModelCheckpoints.SHARD_BYTES, Map.of("format", "pt"))) {
      for (int t = 0; t < specs.size(); t++) {
        writer.write(specs.get(t).name(), values(specs.get(t), t, index));
      }
    }
    try {
      ObjectNode json = config.toJson();
      json.put("torch_dtype", "bfloat16");
      ModelCheckpoints.JSON.writeValue(dir.resolve("config.json").toFile(), json);
      if (tokenizer != null) {
        Files.copy(tokenizer, dir.resolve("tokenizer.json"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir, e);
    }
  }

  private static ByteBuffer values(TensorSpec spec, int tensor, int model) {
    int n = Math.toIntExact(spec.byteSize() / 2);
    ByteBuffer out = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
    boolean norm = spec.shape().length == 1;
    int parts = Math.max(1, Math.min(64, n / (1 << 16)));
    IntStream.range(0, parts).parallel().forEach(part -> {
      SplittableRandom base = new SplittableRandom(((long) tensor << 20) + part);
      SplittableRandom noise = new SplittableRandom(((long) (model * 131 + tensor) << 20) + part + 0x9e3779b9L);
      int from = (int) ((long) n * part / parts);
      int to = (int) ((long) n * (part + 1) / parts);
      double uniform = Math.sqrt(3); // a uniform in [-1, 1) times sqrt(3) has std 1
      for (int k = from; k < to; k++) {
        double v = norm ? 1.0 : BASE_STD * uniform * (base.nextDouble() * 2 - 1);
        if (model > 0) {
          v += NOISE_STD * uniform * (noise.nextDouble() * 2 - 1);
        }
        out.putShort(k * 2, FloatBits.floatToBf16((float) v));
      }
    });
    return out;
  }

  /** A byte-level BPE tokenizer.json of {@code vocab} ids (with {@code <|endoftext|>} as BOS) trained on {@code text}. */
  public static Path tokenizer(Path file, List<String> texts, int vocab) {
    BpeModel model = BpeTrainer.train(texts, vocab, List.of("<|endoftext|>"));
    try {
      Files.createDirectories(file.getParent());
      ModelCheckpoints.JSON.writeValue(file.toFile(), BpeTokenizerJson.of(model, "<|endoftext|>"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
