package io.automerge.data.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersTest {
  @TempDir Path dir;

  private Path words() {
    return TokenizerFiles.wordLevel(dir.resolve("tok/tokenizer.json"), List.of("the", "cat", "sat", "on", "mat", "."));
  }

  @Test
  void wordLevelIdsAsComputedByHand() {
    try (TextTokenizer t = Tokenizers.load(words().getParent())) {
      // <s>=0 <unk>=1 the=2 cat=3 sat=4 on=5 mat=6 .=7; "dog" is unknown.
      assertThat(t.encode("the cat sat on the mat.", true)).containsExactly(0, 2, 3, 4, 5, 2, 6, 7);
      assertThat(t.encode("the cat sat on the mat.", false)).containsExactly(2, 3, 4, 5, 2, 6, 7);
      assertThat(t.encode("the dog", false)).containsExactly(2, 1);
      assertThat(t.maxTokenId()).isEqualTo(7);
      assertThat(t.source()).isEqualTo(words().toString());
    }
  }

  @Test
  void longTextsAreNeitherTruncatedNorPadded() {
    String text = String.join(" ", Collections.nCopies(1500, "cat"));
    try (TextTokenizer t = Tokenizers.load(words())) {
      long[] ids = t.encode(text, true);
      assertThat(ids).hasSize(1501);
      assertThat(ids[1500]).isEqualTo(3);
      assertThat(t.encode("cat", true)).containsExactly(0, 3);
    }
  }

  @Test
  void modelsWithoutATokenizerReadBytes() throws Exception {
    Files.createDirectories(dir.resolve("bytes"));
    try (TextTokenizer t = Tokenizers.forModel(dir.resolve("bytes"))) {
      assertThat(t).isInstanceOf(ByteTokenizer.class);
      assertThat(t.encode("Aä", true)).containsExactly(65, 0xC3, 0xA4);
      assertThat(t.maxTokenId()).isEqualTo(255);
    }
    try (TextTokenizer t = Tokenizers.forModel(words().getParent())) {
      assertThat(t).isInstanceOf(HfTokenizer.class);
    }
  }

  @Test
  void idsBeyondTheModelsVocabularyAreRefusedNamingTheFile() {
    try (TextTokenizer t = Tokenizers.load(words())) {
      Tokenizers.checkFits(t, 8, "model m");
      assertThatThrownBy(() -> Tokenizers.checkFits(t, 7, "model m"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(words() + ": token id 7 exceeds the vocabulary of model m (vocab_size 7)");
    }
  }

  @Test
  void missingAndMalformedFilesAreOneLine() throws Exception {
    assertThatThrownBy(() -> Tokenizers.load(dir))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tokenizer.json");
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"model\": {\"vocab\": {\"a\": 0}, \"type\": \"Nonsense\"}}");
    assertThatThrownBy(() -> Tokenizers.load(bad))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(bad + ": not a readable tokenizer.json")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
