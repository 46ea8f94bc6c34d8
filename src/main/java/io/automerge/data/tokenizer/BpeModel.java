package io.automerge.data.tokenizer;

import java.util.List;

/**
 * A trained byte-level BPE: {@code tokens.get(id)} is the token with that id, written in the
 * {@link ByteLevel} alphabet (ids 0-255 are the single bytes, in byte order); {@code merges} in
 * rank order; the special tokens follow the vocabulary, {@code specialTokens.get(i)} with id
 * {@code tokens.size() + i}.
 */
public record BpeModel(List<String> tokens, List<Merge> merges, List<String> specialTokens) {
  /** Two adjacent tokens that become one. */
  public record Merge(String left, String right) {}

  public BpeModel {
    tokens = List.copyOf(tokens);
    merges = List.copyOf(merges);
    specialTokens = List.copyOf(specialTokens);
  }

  /** Every id, special tokens included. */
  public int vocabSize() {
    return tokens.size() + specialTokens.size();
  }

  public int specialTokenId(String token) {
    int i = specialTokens.indexOf(token);
    if (i < 0) {
      throw new IllegalArgumentException("no special token " + token);
    }
    return tokens.size() + i;
  }
}
