package io.automerge.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.InvalidInputException;
import io.automerge.data.tokenizer.BpeModel;
import io.automerge.data.tokenizer.BpeTokenizerJson;
import io.automerge.data.tokenizer.BpeTrainer;
import io.automerge.data.tokenizer.TextTokenizer;
import io.automerge.data.tokenizer.Tokenizers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in fortunes tasks read in a model's own tokens when it has a tokenizer.json. */
class FortunesTokensTest {
  @TempDir static Path tmp;
  static Path modelDir;

  @BeforeAll
  static void tokenizer() throws Exception {
    System.setProperty("ai.djl.offline", "true");
    List<String> sample = new ArrayList<>();
    for (byte[] e : Fortunes.load(Fortunes.root(), Fortunes.Language.EN).trainEntries().subList(0, 300)) {
      sample.add(new String(e, StandardCharsets.UTF_8));
    }
    BpeModel bpe = BpeTrainer.train(sample, 400, List.of("<|endoftext|>"));
    modelDir = tmp.resolve("model");
    java.nio.file.Files.createDirectories(modelDir);
    new ObjectMapper().writeValue(modelDir.resolve("tokenizer.json").toFile(), BpeTokenizerJson.of(bpe, "<|endoftext|>"));
  }

  @Test
  void testWindowsAreTheEntriesEncodingsWithTheirBosConcatenated() throws Exception {
    Task task = (Task) TaskCatalog.resolve("fortunes:en", java.util.Map.of(), facts(modelDir, 400), java.util.Set.of());
    List<Long> expected = new ArrayList<>();
    try (TextTokenizer tok = Tokenizers.load(modelDir)) {
      for (byte[] entry : Fortunes.load(Fortunes.root(), Fortunes.Language.EN).testEntries().subList(0, 3)) {
        for (long id : tok.encode(new String(entry, StandardCharsets.UTF_8), true)) {
          expected.add(id);
        }
      }
    }
    assertThat(expected.get(0)).isEqualTo(399L); // BOS
    try (NDManager m = NDManager.newBaseManager()) {
      TaskBatch b = task.batch(m, Split.TEST, 1, 1); // the second window: ids 16..31 read, 17..32 predicted
      assertThat(b.inputs().toLongArray()).containsExactly(expected.subList(16, 32).stream().mapToLong(Long::longValue).toArray());
      assertThat(b.labels().toLongArray()).containsExactly(expected.subList(17, 33).stream().mapToLong(Long::longValue).toArray());
    }
    assertThat(task.newMetrics().metrics()).containsOnlyKeys("token_accuracy", "perplexity");
    // A model without a tokenizer.json still reads bytes.
    Task bytes = (Task) TaskCatalog.resolve("fortunes:en", java.util.Map.of(), facts(tmp, 400), java.util.Set.of());
    assertThat(bytes.newMetrics().metrics()).containsOnlyKeys("next_byte_accuracy", "bits_per_byte");
  }

  @Test
  void aTokenizerWithIdsBeyondTheVocabularyIsRefused() {
    assertThatThrownBy(() -> TaskCatalog.resolve("fortunes:de", java.util.Map.of(), facts(modelDir, 256), java.util.Set.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tokenizer.json: token id 399 exceeds the vocabulary of model " + modelDir + " (vocab_size 256)");
  }

  /** A language model with {@code vocab} ids and 16 positions, checkpoint in {@code dir}. */
  private static ModelFacts facts(Path dir, int vocab) {
    return new ModelFacts(dir, ModelKind.TEXT, vocab, 16, 0, 0, java.util.Map.of());
  }
}
