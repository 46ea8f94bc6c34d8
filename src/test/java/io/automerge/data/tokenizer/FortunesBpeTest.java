package io.automerge.data.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.data.Fortunes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FortunesBpeTest {
  @TempDir Path tmp;

  @Test
  void trainsTwoThousandTokensThatTheHfLibraryLoadsAndRoundTrips() throws Exception {
    long start = System.nanoTime();
    BpeModel model = FortunesBpe.train(Fortunes.root(), FortunesBpe.VOCAB_SIZE);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(model.vocabSize()).isEqualTo(2048);
    assertThat(model.specialTokenId(FortunesBpe.END_OF_TEXT)).isEqualTo(2047);

    Path file = tmp.resolve("tokenizer.json");
    new ObjectMapper().writeValue(file.toFile(), BpeTokenizerJson.of(model, FortunesBpe.END_OF_TEXT));
    String en = new String(Fortunes.load(Fortunes.root(), Fortunes.Language.EN).testText(), StandardCharsets.UTF_8);
    String de = new String(Fortunes.load(Fortunes.root(), Fortunes.Language.DE).testText(), StandardCharsets.UTF_8);
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(file).optTruncation(false).optPadding(false).build()) {
      for (String text : new String[] {en.substring(0, 20_000), de.substring(0, 20_000)}) {
        long[] ids = hf.encode(text, false, false).getIds();
        assertThat(java.util.Arrays.stream(ids).allMatch(id -> id >= 0 && id < 2047)).isTrue();
        assertThat(hf.decode(ids, false)).isEqualTo(text);
        double bytesPerToken = text.getBytes(StandardCharsets.UTF_8).length / (double) ids.length;
        System.out.printf("fortunes BPE: %.2f bytes/token on held-out text, trained in %.1f s%n", bytesPerToken, seconds);
        assertThat(bytesPerToken).isGreaterThan(2.2);
      }
      assertThat(hf.encode("Wer zuletzt lacht", true, false).getIds()[0]).isEqualTo(2047);
    }
    // Deterministic: a second training gives the same file.
    Path again = tmp.resolve("again.json");
    new ObjectMapper().writeValue(again.toFile(), BpeTokenizerJson.of(FortunesBpe.train(Fortunes.root(), FortunesBpe.VOCAB_SIZE), FortunesBpe.END_OF_TEXT));
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
  }
}
