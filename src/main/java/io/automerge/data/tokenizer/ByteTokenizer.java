package io.automerge.data.tokenizer;

import java.nio.charset.StandardCharsets;

/** UTF-8 bytes as ids 0..255, no special tokens: the encoding of the byte-level example models. */
public record ByteTokenizer() implements TextTokenizer {
  public static final int VOCAB = 256;

  @Override
  public long[] encode(String text, boolean specialTokens) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    long[] ids = new long[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = bytes[i] & 0xFF;
    }
    return ids;
  }

  @Override
  public int maxTokenId() {
    return VOCAB - 1;
  }

  @Override
  public String source() {
    return "byte-level";
  }

  @Override
  public void close() {}
}
