package io.automerge.data.tokenizer;

/**
 * Turns text into the token ids a language model reads. A model with a {@code tokenizer.json}
 * gets {@link HfTokenizer}; one without (the byte-level examples) gets {@link ByteTokenizer}.
 * Encodings are never truncated or padded: windowing is the task's job.
 */
public sealed interface TextTokenizer extends AutoCloseable permits HfTokenizer, ByteTokenizer {

  /**
   * The ids of {@code text}; with {@code specialTokens} as {@code tokenizer(text)} gives them in
   * transformers (e.g. a leading BOS), without them as {@code add_special_tokens=False}.
   */
  long[] encode(String text, boolean specialTokens);

  /** The largest id this tokenizer can emit (its vocabulary and added tokens). */
  int maxTokenId();

  /** Where it was read from, for messages: the tokenizer.json path, or "byte-level". */
  String source();

  @Override
  void close();
}
