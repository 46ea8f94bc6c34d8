package io.automerge.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A text corpus as documents (entries, files) per split: what a built-in text task reads. */
public record TextSplits(List<byte[]> train, List<byte[]> val, List<byte[]> test) {
  public TextSplits {
    train = List.copyOf(train);
    val = List.copyOf(val);
    test = List.copyOf(test);
  }

  /**
   * Carves {@code fraction} of {@code trainEntries} (shuffled with {@code seed}) out as val; the
   * rest is train, in that shuffled order.
   */
  public static TextSplits carveVal(List<byte[]> trainEntries, List<byte[]> test, long seed, double fraction) {
    List<byte[]> entries = new ArrayList<>(trainEntries);
    Collections.shuffle(entries, new Random(seed));
    int valCount = (int) Math.round(entries.size() * fraction);
    return new TextSplits(entries.subList(valCount, entries.size()), entries.subList(0, valCount), test);
  }

  /** Every {@code period}-th document (by position) is test, the one after it val, the rest train. */
  public static TextSplits byPosition(List<byte[]> documents, int period, int testSlot, int valSlot) {
    List<byte[]> train = new ArrayList<>();
    List<byte[]> val = new ArrayList<>();
    List<byte[]> test = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      int slot = i % period;
      (slot == testSlot ? test : slot == valSlot ? val : train).add(documents.get(i));
    }
    return new TextSplits(train, val, test);
  }
}
