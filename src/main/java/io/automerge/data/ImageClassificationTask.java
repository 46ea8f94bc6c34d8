package io.automerge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Fashion-MNIST restricted to a set of classes, scored over the full ten-way head (so a model that
 * forgot a class is punished for it). Val is a fixed, seeded carve-out of the official train set;
 * test is the official test set.
 */
public final class ImageClassificationTask implements Task {
  /** Val images carved from the 60 000 training images, with a seed of its own. */
  static final int VAL_IMAGES = 6000;

  static final long VAL_SEED = 20_240_601L;
  /** As {@link FashionMnist#PREPROCESSING} says (an image folder of these images scores the same). */
  private static final float MEAN = 0.2860f;
  private static final float STD = 0.3530f;

  private final String name;
  private final BitSet classes;
  private final FashionMnist.Images train;
  private final FashionMnist.Images test;
  private final int[] trainIndex;
  private final int[] valIndex;
  private final int[] testIndex;

  ImageClassificationTask(String name, BitSet classes, FashionMnist.Images train, FashionMnist.Images test) {
    this.name = name;
    this.classes = (BitSet) classes.clone();
    this.train = train;
    this.test = test;
    int[] shuffled = shuffledIndices(train.count(), VAL_SEED);
    int[] val = java.util.Arrays.copyOfRange(shuffled, 0, VAL_IMAGES);
    int[] rest = java.util.Arrays.copyOfRange(shuffled, VAL_IMAGES, shuffled.length);
    java.util.Arrays.sort(val);
    java.util.Arrays.sort(rest);
    this.valIndex = filter(val, train);
    this.trainIndex = filter(rest, train);
    this.testIndex = filter(IntStream.range(0, test.count()).toArray(), test);
  }

  public BitSet classes() {
    return (BitSet) classes.clone();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size(Split split) {
    return indices(split).length;
  }

  @Override
  public TaskBatch batch(NDManager manager, Split split, int from, int count) {
    int[] idx = indices(split);
    return gather(manager, split == Split.TEST ? test : train, idx, from, count);
  }

  @Override
  public TaskBatch randomTrainBatch(NDManager manager, Random rng, int count) {
    int[] picks = new int[count];
    for (int i = 0; i < count; i++) {
      picks[i] = trainIndex[rng.nextInt(trainIndex.length)];
    }
    return gather(manager, train, picks, 0, count);
  }

  @Override
  public MetricAccumulator newMetrics() {
    return new ClassificationMetrics();
  }

  private int[] indices(Split split) {
    return switch (split) {
      case TRAIN -> trainIndex;
      case VAL -> valIndex;
      case TEST -> testIndex;
    };
  }

  private int[] filter(int[] candidates, FashionMnist.Images images) {
    return java.util.Arrays.stream(candidates).filter(i -> classes.get(images.labels()[i])).toArray();
  }

  private static int[] shuffledIndices(int n, long seed) {
    int[] idx = IntStream.range(0, n).toArray();
    Random rng = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx;
  }

  private static TaskBatch gather(NDManager manager, FashionMnist.Images images, int[] idx, int from, int count) {
    int pixelsPerImage = FashionMnist.SIDE * FashionMnist.SIDE;
    float[] x = new float[count * pixelsPerImage];
    long[] y = new long[count];
    byte[] pixels = images.pixels();
    for (int i = 0; i < count; i++) {
      int image = idx[from + i];
      int base = image * pixelsPerImage;
      for (int p = 0; p < pixelsPerImage; p++) {
        x[i * pixelsPerImage + p] = ((pixels[base + p] & 0xFF) / 255f - MEAN) / STD;
      }
      y[i] = images.labels()[image];
    }
    NDArray inputs = manager.create(x, new Shape(count, 1, FashionMnist.SIDE, FashionMnist.SIDE));
    NDArray labels = manager.create(y, new Shape(count));
    return new TaskBatch(inputs, labels, count);
  }

  static List<Integer> classList(BitSet classes) {
    List<Integer> out = new ArrayList<>();
    classes.stream().forEach(out::add);
    return out;
  }
}
