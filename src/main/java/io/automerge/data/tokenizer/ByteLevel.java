package io.automerge.data.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level pre-tokenization, as the HF tokenizers {@code ByteLevel} pre-tokenizer does
 * it: split text with GPT-2's regex (contractions, letters, digits, other symbols, each with an
 * optional leading space; runs of whitespace), then write each UTF-8 byte as one printable
 * character, so that every string has a token sequence and no byte is ever unknown.
 */
public final class ByteLevel {
  /** GPT-2's split pattern; {@code \s} is Unicode whitespace, as in the Rust library. */
  static final Pattern SPLIT =
      Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private static final char[] BYTE_TO_CHAR = byteToChar();

  private ByteLevel() {}

  /**
   * GPT-2's {@code bytes_to_unicode}: printable Latin-1 bytes stand for themselves; the others (0-32,
   * 127-160, 173) take the characters from U+0100 on, in byte order (so a space is 'Ġ').
   */
  private static char[] byteToChar() {
    char[] table = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      table[b] = printable ? (char) b : (char) next++;
    }
    return table;
  }

  /** The character standing for byte {@code b} (0-255). */
  public static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** The pre-tokens of {@code text}, each written in the byte alphabet. */
  public static List<String> pretokenize(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = SPLIT.matcher(text);
    while (m.find()) {
      out.add(encodeBytes(m.group().getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  static String encodeBytes(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      sb.append(charOf(b));
    }
    return sb.toString();
  }
}
