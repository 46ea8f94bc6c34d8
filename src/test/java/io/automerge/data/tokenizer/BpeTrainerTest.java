package io.automerge.data.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
  static final String EOT = "<|endoftext|>";

  @TempDir Path tmp;

  /**
   * "hug hug hug pug pun bun hugs" pre-tokenizes into hug, Ġhug ×2, Ġpug, Ġpun, Ġbun, Ġhugs (Ġ is
   * the space byte, id 32). Pair counts: (u,g) 5, (h,u) 4, (Ġ,h) 3, (Ġ,p) 2, (p,u) 2, (u,n) 2, the
   * rest 1. Merges by hand: u+g → "ug" 256 (then h+ug counts 4); h+ug → "hug" 257 (then Ġ+hug 3);
   * Ġ+hug → "Ġhug" 258; then (Ġ,p) and (u,n) tie at 2 and the smaller left id (32 < 117) goes first:
   * Ġ+p → "Ġp" 259, u+n → "un" 260. The special token follows: 261.
   */
  @Test
  void tinyCorpusGivesTheHandComputedMergesAndIds() throws Exception {
    BpeModel model = BpeTrainer.train(List.of("hug hug hug pug pun bun hugs"), 262, List.of(EOT));
    assertThat(model.merges()).containsExactly(
        new BpeModel.Merge("u", "g"), new BpeModel.Merge("h", "ug"), new BpeModel.Merge("Ġ", "hug"),
        new BpeModel.Merge("Ġ", "p"), new BpeModel.Merge("u", "n"));
    assertThat(model.tokens().subList(256, 261)).containsExactly("ug", "hug", "Ġhug", "Ġp", "un");
    assertThat(model.tokens().get(0)).isEqualTo("Ā");
    assertThat(model.tokens().get(32)).isEqualTo("Ġ");
    assertThat(model.tokens().get('a')).isEqualTo("a");
    assertThat(model.specialTokenId(EOT)).isEqualTo(261);

    Path file = tmp.resolve("tokenizer.json");
    new ObjectMapper().writeValue(file.toFile(), BpeTokenizerJson.of(model, EOT));
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file)) {
      // hugs: h u g s → h ug s → hug s; Ġbun: only u+n applies; Ġpug: u+g, then Ġ+p.
      Encoding enc = hf.encode("hugs bun pug", true, false);
      assertThat(enc.getIds()).containsExactly(261, 257, 115, 32, 98, 260, 259, 256);
      assertThat(enc.getTokens()).containsExactly(EOT, "hug", "s", "Ġ", "b", "un", "Ġp", "ug");
      assertThat(hf.encode("hugs bun pug", false, false).getIds()).containsExactly(257, 115, 32, 98, 260, 259, 256);
      // Bytes outside the merges stay single bytes: ü is UTF-8 C3 BC.
      assertThat(hf.encode("ü", false, false).getIds()).containsExactly(0xC3, 0xBC);
      assertThat(hf.decode(new long[] {257, 115, 32, 98, 260, 259, 256, 0xC3, 0xBC})).isEqualTo("hugs bun pugü");
    }
  }
}
