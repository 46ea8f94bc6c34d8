package io.automerge.data.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link BpeModel} as a Hugging Face {@code tokenizer.json} (the format the tokenizers library
 * and transformers' fast tokenizers read): a BPE model over GPT-2's byte alphabet, the ByteLevel
 * pre-tokenizer and decoder, the special tokens as added tokens, and a template that starts every
 * encoding with {@code bos} when special tokens are asked for (as Llama's tokenizer does with
 * {@code <s>}).
 */
public final class BpeTokenizerJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private BpeTokenizerJson() {}

  public static ObjectNode of(BpeModel model, String bos) {
    ObjectNode root = F.objectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : model.specialTokens()) {
      added.addObject()
          .put("id", model.specialTokenId(special))
          .put("content", special)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", false)
          .put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(false));
    root.set("post_processor", template(model, bos));
    root.set("decoder", byteLevel(true));
    ObjectNode bpe = root.putObject("model");
    bpe.put("type", "BPE");
    bpe.putNull("dropout");
    bpe.putNull("unk_token");
    bpe.putNull("continuing_subword_prefix");
    bpe.putNull("end_of_word_suffix");
    bpe.put("fuse_unk", false);
    bpe.put("byte_fallback", false);
    bpe.put("ignore_merges", false);
    ObjectNode vocab = bpe.putObject("vocab");
    for (int id = 0; id < model.tokens().size(); id++) {
      vocab.put(model.tokens().get(id), id);
    }
    ArrayNode merges = bpe.putArray("merges");
    for (BpeModel.Merge m : model.merges()) {
      // "left right": the form every tokenizers version reads (byte-level tokens hold no space).
      merges.add(m.left() + " " + m.right());
    }
    return root;
  }

  /**
   * The {@code tokenizer_config.json} beside it, so that transformers' {@code AutoTokenizer} loads
   * the fast tokenizer as is ({@code special} is BOS and EOS).
   */
  public static ObjectNode tokenizerConfig(BpeModel model, String special, int maxLength) {
    ObjectNode o = F.objectNode();
    o.put("tokenizer_class", "PreTrainedTokenizerFast");
    o.put("bos_token", special);
    o.put("eos_token", special);
    o.put("model_max_length", maxLength);
    o.put("clean_up_tokenization_spaces", false);
    ObjectNode decoder = o.putObject("added_tokens_decoder");
    for (String token : model.specialTokens()) {
      decoder.putObject(Integer.toString(model.specialTokenId(token)))
          .put("content", token)
          .put("lstrip", false)
          .put("normalized", false)
          .put("rstrip", false)
          .put("single_word", false)
          .put("special", true);
    }
    return o;
  }

  private static ObjectNode byteLevel(boolean decoder) {
    ObjectNode o = F.objectNode();
    o.put("type", "ByteLevel");
    o.put("add_prefix_space", decoder);
    o.put("trim_offsets", true);
    o.put("use_regex", true);
    return o;
  }

  private static ObjectNode template(BpeModel model, String bos) {
    ObjectNode o = F.objectNode();
    o.put("type", "TemplateProcessing");
    ArrayNode single = o.putArray("single");
    special(single, bos, 0);
    sequence(single, "A", 0);
    ArrayNode pair = o.putArray("pair");
    special(pair, bos, 0);
    sequence(pair, "A", 0);
    special(pair, bos, 1);
    sequence(pair, "B", 1);
    ObjectNode specials = o.putObject("special_tokens");
    ObjectNode entry = specials.putObject(bos);
    entry.put("id", bos);
    entry.putArray("ids").add(model.specialTokenId(bos));
    entry.putArray("tokens").add(bos);
    return o;
  }

  private static void special(ArrayNode list, String token, int typeId) {
    list.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
  }

  private static void sequence(ArrayNode list, String id, int typeId) {
    list.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
  }
}
