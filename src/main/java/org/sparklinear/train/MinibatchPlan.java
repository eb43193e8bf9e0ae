package org.sparklinear.train;

import java.util.SplittableRandom;

/**
 * Which rows of a partition a step uses. Each epoch every partition walks its rows in a fresh permutation drawn
 * from (seed, epoch, partition); the permutation is cut into one slice per step, so a step touches only its own
 * rows, every row is used once per epoch, and each step takes about {@code batchSize} rows over all partitions.
 */
public final class MinibatchPlan implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final long seed;
  private final int stepsPerEpoch;
  /** The stream of the chunk order, apart from every partition's row order. */
  private static final int CHUNK_STREAM = -1;

  public MinibatchPlan(long seed, long totalRows, int batchSize) {
    if (totalRows < 1) {
      throw new IllegalArgumentException("no training rows");
    }
    this.seed = seed;
    this.stepsPerEpoch = (int) Math.max(1, (totalRows + batchSize - 1) / batchSize);
  }

  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** First index into {@link #order} of the step's slice for a partition of {@code rows} rows. */
  public int sliceStart(int rows, int step) {
    return (int) ((long) rows * step / stepsPerEpoch);
  }

  public int sliceEnd(int rows, int step) {
    return (int) ((long) rows * (step + 1) / stepsPerEpoch);
  }

  /**
   * The chunks a step reads when the data is cached on disk as small blocks (see {@link CacheMode#DISK}): a
   * contiguous run of the epoch's permutation of all chunks, so that every chunk is read once an epoch, in one piece,
   * and a step takes about {@code chunks / stepsPerEpoch} of them.
   */
  public int[] chunks(int epoch, int step, int chunks) {
    int[] order = permutation(seed, epoch, CHUNK_STREAM, chunks);
    return java.util.Arrays.copyOfRange(order, sliceStart(chunks, step), sliceEnd(chunks, step));
  }

  /** The partition's row order in an epoch. */
  public int[] order(int epoch, int partition, int rows) {
    return Cache.order(seed, epoch, partition, rows);
  }

  /** A Fisher–Yates permutation of {@code 0..rows-1}. */
  static int[] permutation(long seed, int epoch, int partition, int rows) {
    long streamSeed = ValidationSplit.mix(ValidationSplit.mix(seed ^ 0x632BE59BD9B4E019L + epoch) + partition);
    SplittableRandom random = new SplittableRandom(streamSeed);
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    for (int i = rows - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** Executors reuse an epoch's permutation across its steps instead of redrawing it every step. */
  private static final class Cache {
    private record Key(long seed, int epoch, int partition, int rows) {}

    private static final java.util.concurrent.ConcurrentHashMap<Integer, Object[]> BY_PARTITION =
        new java.util.concurrent.ConcurrentHashMap<>();

    static int[] order(long seed, int epoch, int partition, int rows) {
      Key key = new Key(seed, epoch, partition, rows);
      Object[] entry = BY_PARTITION.get(partition);
      if (entry != null && entry[0].equals(key)) {
        return (int[]) entry[1];
      }
      int[] order = permutation(seed, epoch, partition, rows);
      BY_PARTITION.put(partition, new Object[] {key, order});
      return order;
    }
  }
}
