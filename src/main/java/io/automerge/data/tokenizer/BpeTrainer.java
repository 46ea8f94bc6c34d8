package io.automerge.data.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Trains a byte-level BPE (Sennrich et al.; GPT-2's byte alphabet): start from the 256 bytes and
 * repeatedly merge the most frequent adjacent pair of tokens inside the pre-tokens of the corpus,
 * until the vocabulary (special tokens included) has {@code vocabSize} ids. Ties go to the pair
 * with the smaller left id, then the smaller right id, so a corpus always gives the same merges.
 * Pair counts are updated only in the words a merge touches.
 */
public final class BpeTrainer {
  private final List<String> tokens = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<BpeModel.Merge> merges = new ArrayList<>();
  private int[][] words;
  private int[] counts;
  private final Map<Long, Long> pairCounts = new HashMap<>();
  private final Map<Long, Set<Integer>> pairWords = new HashMap<>();
  /**
   * {count, pair} entries, most frequent first, then the smaller pair. A count that fell leaves a
   * stale entry behind, corrected when it comes to the top; a count that rose gets a new entry.
   */
  private final PriorityQueue<long[]> queue =
      new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));

  private BpeTrainer() {
    for (int b = 0; b < 256; b++) {
      add(String.valueOf(ByteLevel.charOf(b)));
    }
  }

  /** Trains on {@code texts}; stops early when no pair occurs twice. */
  public static BpeModel train(Iterable<String> texts, int vocabSize, List<String> specialTokens) {
    if (vocabSize < 256 + specialTokens.size()) {
      throw new IllegalArgumentException("vocabulary of " + vocabSize + " cannot hold the 256 bytes and " + specialTokens.size() + " special tokens");
    }
    BpeTrainer t = new BpeTrainer();
    t.countWords(texts);
    int target = vocabSize - specialTokens.size();
    while (t.tokens.size() < target && t.mergeBest()) {
      // each round adds one merge, and a token unless the merged string already is one
    }
    return new BpeModel(t.tokens, t.merges, specialTokens);
  }

  private void countWords(Iterable<String> texts) {
    Map<String, Integer> frequency = new LinkedHashMap<>();
    for (String text : texts) {
      for (String piece : ByteLevel.pretokenize(text)) {
        frequency.merge(piece, 1, Integer::sum);
      }
    }
    words = new int[frequency.size()][];
    counts = new int[frequency.size()];
    int w = 0;
    for (Map.Entry<String, Integer> e : frequency.entrySet()) {
      String piece = e.getKey();
      int[] symbols = new int[piece.length()];
      for (int i = 0; i < symbols.length; i++) {
        symbols[i] = ids.get(String.valueOf(piece.charAt(i)));
      }
      words[w] = symbols;
      counts[w] = e.getValue();
      addPairs(w, +1, -1);
      w++;
    }
    pairCounts.forEach((key, c) -> queue.add(new long[] {c, key}));
  }

  /** Merges the most frequent pair; false when none occurs at least twice. */
  private boolean mergeBest() {
    long best;
    while (true) {
      long[] top = queue.poll();
      if (top == null || top[0] < 2) {
        return false;
      }
      long current = pairCounts.getOrDefault(top[1], 0L);
      if (current == top[0]) {
        best = top[1];
        break;
      }
      if (current > 0) {
        queue.add(new long[] {current, top[1]});
      }
    }
    int left = (int) (best >>> 32);
    int right = (int) best;
    String merged = tokens.get(left) + tokens.get(right);
    Integer existing = ids.get(merged);
    int id = existing != null ? existing : add(merged);
    merges.add(new BpeModel.Merge(tokens.get(left), tokens.get(right)));
    Set<Long> created = new HashSet<>();
    for (int w : pairWords.remove(best)) {
      if (contains(words[w], left, right)) {
        addPairs(w, -1, -1);
        words[w] = replace(words[w], left, right, id);
        created.addAll(addPairs(w, +1, id));
      }
    }
    pairCounts.remove(best);
    // Only pairs holding the new token can have gained; every other count fell or stayed.
    for (long key : created) {
      long c = pairCounts.getOrDefault(key, 0L);
      if (c > 0) {
        queue.add(new long[] {c, key});
      }
    }
    return true;
  }

  private int add(String token) {
    ids.put(token, tokens.size());
    tokens.add(token);
    return tokens.size() - 1;
  }

  /**
   * Adds (or removes) word {@code w}'s adjacent pairs, weighted by its frequency; when adding,
   * indexes the word under its pairs (all of them, or only those holding {@code newId} when it is
   * not -1: the others are indexed already) and returns those pairs.
   */
  private List<Long> addPairs(int w, int sign, int newId) {
    int[] s = words[w];
    List<Long> indexed = new ArrayList<>();
    for (int i = 0; i + 1 < s.length; i++) {
      long key = key(s[i], s[i + 1]);
      long c = pairCounts.getOrDefault(key, 0L) + (long) sign * counts[w];
      if (c == 0) {
        pairCounts.remove(key);
      } else {
        pairCounts.put(key, c);
      }
      if (sign > 0 && (newId < 0 || s[i] == newId || s[i + 1] == newId)) {
        pairWords.computeIfAbsent(key, k -> new HashSet<>()).add(w);
        indexed.add(key);
      }
    }
    return indexed;
  }

  private static long key(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  private static boolean contains(int[] s, int left, int right) {
    for (int i = 0; i + 1 < s.length; i++) {
      if (s[i] == left && s[i + 1] == right) {
        return true;
      }
    }
    return false;
  }

  /** Left to right, non-overlapping: {@code a a a} with the merge {@code a a} becomes {@code aa a}. */
  private static int[] replace(int[] s, int left, int right, int id) {
    int[] out = new int[s.length];
    int n = 0;
    for (int i = 0; i < s.length; i++) {
      if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
        out[n++] = id;
        i++;
      } else {
        out[n++] = s[i];
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
