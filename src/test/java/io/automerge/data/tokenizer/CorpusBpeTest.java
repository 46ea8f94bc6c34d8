package io.automerge.data.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.data.Fortunes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusBpeTest {
  /** SHA-256 of the fortunes tokenizer.json the code before CorpusBpe wrote (Debian's fortunes, fortunes-de). */
  private static final String FORTUNES_BPE_BEFORE = "4772e4bbf3324eff770dfa5dfa5c755cea39919d0f49dd3803f4ac85a5bc9b0f";

  @Test
  void theFortunesBpeIsTheSameFileAsBeforeWhicheverWayItIsAskedFor() throws Exception {
    byte[] viaFortunes = json(FortunesBpe.train(Fortunes.root(), FortunesBpe.VOCAB_SIZE));
    assertThat(sha256(viaFortunes)).isEqualTo(FORTUNES_BPE_BEFORE);
    assertThat(json(CorpusBpe.forTasks(List.of("fortunes:en", "fortunes:de"), FortunesBpe.VOCAB_SIZE))).isEqualTo(viaFortunes);
  }

  @Test
  void learnsFromEverySourceTheSameWayEachTime() {
    // "aa" occurs in the first source only, "bb" in the second: both become tokens.
    List<byte[]> a = List.of(bytes("aaaa aaaa aaaa"), bytes("aaaa"));
    List<byte[]> b = List.of(bytes("bbbb bbbb"), bytes("bbbb bbbb"), bytes("bbbb"));
    BpeModel model = CorpusBpe.train(List.of(a, b), 260);
    assertThat(model.vocabSize()).isEqualTo(260);
    assertThat(model.specialTokenId(CorpusBpe.END_OF_TEXT)).isEqualTo(259);
    assertThat(model.merges()).extracting(m -> m.left() + m.right()).contains("aa", "bb");
    assertThat(json(CorpusBpe.train(List.of(a, b), 260))).isEqualTo(json(model));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] json(BpeModel model) {
    try {
      return new ObjectMapper().writeValueAsBytes(BpeTokenizerJson.of(model, CorpusBpe.END_OF_TEXT));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
