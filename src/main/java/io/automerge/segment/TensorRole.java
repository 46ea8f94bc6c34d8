package io.automerge.segment;

import io.automerge.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a tensor does in a transformer, read from its Hugging Face name: a module on its path
 * ({@code model.layers.3.self_attn.q_proj.weight} is attention). The roles are tried in
 * declaration order and the first whose module pattern occurs wins, so a norm inside an attention
 * module ({@code self_attn.q_norm}) is a norm, and a tensor no role names is {@link #OTHER} (a
 * CCT's convolutional tokenizer).
 */
public enum TensorRole {
  NORM("[^.]*norm[^.]*|ln(?:_[^.]*)?"),
  EMBEDDING("[^.]*embed[^.]*|wte|wpe"),
  HEAD("lm_head|head|classifier|score"),
  ATTENTION("[^.]*(?:attn|attention)[^.]*"),
  MLP("[^.]*(?:mlp|feed_forward|ffn)[^.]*"),
  OTHER(null);

  /** Roles a spec may name in {@code groups:}, in precedence order. */
  public static final List<TensorRole> GROUPABLE = List.of(NORM, EMBEDDING, HEAD, ATTENTION, MLP);

  /** A module (a path component followed by a dot, never the parameter's own name) of this role. */
  private final String modulePattern;
  private final Pattern compiled;

  TensorRole(String module) {
    this.modulePattern = module == null ? null : "(?:^|\\.)(?:" + module + ")\\.";
    this.compiled = module == null ? null : Pattern.compile(modulePattern);
  }

  /** The spelling in specs, reports and block names ({@code attention}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The first role, in precedence order, whose module occurs in {@code tensorName}. */
  public static TensorRole of(String tensorName) {
    for (TensorRole role : GROUPABLE) {
      if (role.compiled.matcher(tensorName).find()) {
        return role;
      }
    }
    return OTHER;
  }

  /** The role a spec spells {@code label}; {@code where} names the field in the error. */
  public static TensorRole parse(String label, String where) {
    for (TensorRole role : GROUPABLE) {
      if (role.label().equals(label)) {
        return role;
      }
    }
    throw new InvalidInputException(where + ": expected roles among "
        + GROUPABLE.stream().map(TensorRole::label).toList() + " (got " + label + ")");
  }

  /**
   * The parts of a regex, each a lookahead to use from the start of a name, that together hold
   * exactly for the tensors {@link #of} gives this role: no module of an earlier role occurs, and
   * this role's does. {@link #OTHER} holds where no groupable role does.
   */
  List<String> conditions() {
    List<String> parts = new ArrayList<>();
    for (TensorRole earlier : GROUPABLE) {
      if (earlier == this) {
        break;
      }
      parts.add("(?!.*" + earlier.modulePattern + ")");
    }
    if (this != OTHER) {
      parts.add("(?=.*" + modulePattern + ")");
    }
    return parts;
  }
}
