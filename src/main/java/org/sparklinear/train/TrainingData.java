package org.sparklinear.train;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ImageShape;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.eval.BlockEvaluator;
import org.sparklinear.eval.ConfusionMatrix;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.preprocess.FeatureStatistics;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.preprocess.Scaling;
import org.sparklinear.spark.InJvmCollect;
import org.sparklinear.spark.StorageMemory;

/**
 * Training and validation rows, preprocessed and cached as one float block per partition in memory, or as small
 * chunks on the local disks when they do not fit there ({@link CacheMode}): after {@link #prepare} no step reads or
 * decodes input again.
 */
public final class TrainingData implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);

  private final JavaRDD<FeatureBlock> train;
  private final JavaRDD<FeatureBlock> validation;
  private final long trainRows;
  private final long validationRows;
  private final List<String> classNames;
  private final ImageShape shape;
  private final Preprocessor preprocessor;
  private final CacheMode cache;
  private final ModelMetadata.Choice cacheChoice;
  /** The blocks the driver step mode brought over (training's, then validation's), kept for the run's next phase. */
  private List<FeatureBlock> blocksOnDriver;

  private TrainingData(JavaRDD<FeatureBlock> train, JavaRDD<FeatureBlock> validation, long trainRows,
      long validationRows, List<String> classNames, ImageShape shape, Preprocessor preprocessor, CacheMode cache,
      ModelMetadata.Choice cacheChoice) {
    this.cache = cache;
    this.cacheChoice = cacheChoice;
    this.train = train;
    this.validation = validation;
    this.trainRows = trainRows;
    this.validationRows = validationRows;
    this.classNames = classNames;
    this.shape = shape;
    this.preprocessor = preprocessor;
  }

  /**
   * Splits off the validation records, fits the preprocessing on the training records, packs and caches both in
   * memory, as every caller did before {@link CacheMode} existed.
   *
   * @param preprocessor statistics to reuse (warm start), or null to fit them here
   */
  public static TrainingData prepare(JavaSparkContext sc, ImageDataset dataset, ValidationSplit split,
      Scaling scaling, Preprocessor preprocessor) {
    return prepare(sc, dataset, split, scaling, preprocessor, Caching.MEMORY);
  }

  /**
   * How to cache the packed blocks: the mode asked for and, for the disk's chunks, the seed of their mix and the
   * batch size a run on so many training rows will use (a chunk is about one task's share of a step).
   */
  public record Caching(CacheMode mode, long seed, LongUnaryOperator batchForRows) {
    static final Caching MEMORY = new Caching(CacheMode.MEMORY, 0, rows -> 1);

    /** The caching of a training configuration: its {@code --cache}, seed and (possibly automatic) batch size. */
    public static Caching of(TrainingConfig config) {
      return new Caching(config.cache(), config.seed(), rows -> TrainingBudget.fit(config, rows, 0).batchSize());
    }
  }

  /** {@code auto} keeps the blocks in memory when they take at most this share of the free storage memory. */
  static final double MEMORY_SHARE = 0.8;
  /**
   * Disk packing writes the shuffle's files next to the blocks: ask for this multiple of the packed size on a local
   * master's disk before starting.
   */
  static final double DISK_NEED = 2.0;

  /**
   * Splits off the validation records, fits the preprocessing on the training records, packs and caches both: in
   * memory as one block per partition, or on disk as chunks ({@link CacheMode}), {@code auto} choosing by the packed
   * size against the free storage memory, logged and kept for the model's metadata ({@link #cacheChoice}).
   *
   * @param preprocessor statistics to reuse (warm start), or null to fit them here
   */
  public static TrainingData prepare(JavaSparkContext sc, ImageDataset dataset, ValidationSplit split,
      Scaling scaling, Preprocessor preprocessor, Caching caching) {
    sc.setJobDescription("reading " + dataset.description());
    // Raw 8-bit images are cached briefly so that statistics and packing read the input once.
    JavaRDD<LabeledImage> raw = dataset.images().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      JavaRDD<LabeledImage> trainImages = raw.filter(img -> !split.isValidation(img.source()));
      JavaRDD<LabeledImage> validationImages = raw.filter(img -> split.isValidation(img.source()));
      Preprocessor fitted = preprocessor;
      long counted = -1; // training rows, where a pass has counted them before packing
      if (fitted == null) {
        int features = dataset.features();
        sc.setJobDescription("fitting preprocessing statistics");
        FeatureStatistics stats = statistics(trainImages, features);
        if (stats.count() == 0) {
          throw new BadInputException(dataset.description() + ": no training images"
              + (dataset.skippedBadImages().value() > 0 ? " (all " + dataset.skippedBadImages().value()
              + " were skipped as bad)" : "") + " after holding out the validation split");
        }
        fitted = Preprocessor.fit(stats, scaling);
        counted = stats.count();
        if (fitted.scaling() != scaling) {
          LOG.info("feature vectors are standardised (--scaling {} divides 8-bit pixels by 255)", scaling.cliName());
        }
      }
      if (caching.mode() != CacheMode.MEMORY && counted < 0) {
        sc.setJobDescription("counting the training rows");
        counted = trainImages.count();
      }
      long estimatedValidation = Math.round(counted * split.fraction() / (1 - split.fraction()));
      long rowBytes = 4L * fitted.features() + 4;
      ModelMetadata.Choice choice = null;
      CacheMode mode = caching.mode();
      if (mode == CacheMode.AUTO) {
        long packed = (counted + estimatedValidation) * rowBytes;
        long free = StorageMemory.free(sc, raw.id());
        mode = packed <= MEMORY_SHARE * free ? CacheMode.MEMORY : CacheMode.DISK;
        choice = new ModelMetadata.Choice("cache", mode.cliName(), String.format(Locale.ROOT,
            "the packed blocks (%.1f MB) %s %.0f%% of the %.1f MB of storage memory Spark has free", packed / 1e6,
            mode == CacheMode.MEMORY ? "take at most" : "take more than", 100 * MEMORY_SHARE, free / 1e6), Map.of());
        LOG.info("cache {} (auto): {}", mode.cliName(), choice.reason());
      }
      Packed packed = null;
      if (mode == CacheMode.MEMORY) {
        sc.setJobDescription("packing and caching feature blocks");
        try {
          packed = Packed.of(sc, BlockPacker.pack(trainImages, fitted).persist(StorageLevel.MEMORY_ONLY()),
              BlockPacker.pack(validationImages, fitted).persist(StorageLevel.MEMORY_ONLY()), CacheMode.MEMORY,
              dataset.description());
        } catch (InsufficientMemoryException e) {
          if (choice == null) {
            throw e;
          }
          choice = new ModelMetadata.Choice("cache", CacheMode.DISK.cliName(), choice.reason()
              + ", but caching them there failed (" + e.getMessage().split(":")[0] + ")", Map.of());
          LOG.warn("cache disk (auto): {}", choice.reason());
          mode = CacheMode.DISK;
        }
      }
      if (mode == CacheMode.DISK) {
        packed = onDisk(sc, dataset, trainImages, validationImages, fitted, caching, counted, estimatedValidation);
      }
      long skipped = dataset.skippedBadImages().value();
      if (skipped > 0) {
        LOG.warn("skipped {} bad images (--skip-bad-images)", skipped);
      }
      LOG.info("cached {} training and {} validation rows of {} features in {} {}", packed.trainRows(),
          packed.validationRows(), dataset.features(), packed.train().getNumPartitions(),
          mode == CacheMode.MEMORY ? "partitions in memory" : "chunks on disk");
      return new TrainingData(packed.train(), packed.validation(), packed.trainRows(), packed.validationRows(),
          dataset.classNames(), dataset.shape(), fitted, mode, choice);
    } finally {
      raw.unpersist(false);
    }
  }

  /**
   * Exit 4's last case: packing to disk writes the shuffle's files next to the blocks, so the local directory needs
   * about {@value #DISK_NEED} times the packed size free.
   */
  static void requireDiskRoom(long bytes, long free, java.io.File localDir) {
    if (bytes * DISK_NEED > free) {
      throw new InsufficientMemoryException(String.format(Locale.ROOT, "the training data fits neither in memory"
          + " nor on the local disk: its packed blocks take %.1f MB, and packing them to disk needs about %.1f MB"
          + " (with the shuffle's files) of the %.1f MB free in %s. Give Spark more memory (SLC_DRIVER_MEMORY for"
          + " submit/local.sh) or point spark.local.dir at a larger disk", bytes / 1e6, bytes * DISK_NEED / 1e6,
          free / 1e6, localDir));
    }
  }

  /** Packs both splits into chunks of about a task's share of a step and stores them on the local disks. */
  private static Packed onDisk(JavaSparkContext sc, ImageDataset dataset, JavaRDD<LabeledImage> trainImages,
      JavaRDD<LabeledImage> validationImages, Preprocessor fitted, Caching caching, long trainRows,
      long estimatedValidation) {
    long rowBytes = 4L * fitted.features() + 4;
    long bytes = (trainRows + estimatedValidation) * rowBytes;
    java.util.OptionalLong disk = StorageMemory.localDiskFree(sc);
    if (disk.isPresent()) {
      requireDiskRoom(bytes, disk.getAsLong(), StorageMemory.localDir());
    }
    int batch = (int) Math.max(1, caching.batchForRows().applyAsLong(trainRows));
    int chunkRows = Math.max(1, batch / sc.defaultParallelism());
    int trainChunks = (int) Math.max(1, (trainRows + chunkRows - 1) / chunkRows);
    int validationChunks = (int) Math.max(1, (estimatedValidation + chunkRows - 1) / chunkRows);
    LOG.info("packing {} training rows into {} chunks of about {} rows ({} KB; batch {} over {} task slots) on"
        + " disk", trainRows, trainChunks, chunkRows, chunkRows * rowBytes >> 10, batch, sc.defaultParallelism());
    sc.setJobDescription("packing feature blocks to disk");
    return Packed.of(sc, ChunkPacker.pack(trainImages, fitted, trainChunks, caching.seed())
        .persist(StorageLevel.DISK_ONLY()), ChunkPacker.pack(validationImages, fitted, validationChunks,
        caching.seed()).persist(StorageLevel.DISK_ONLY()), CacheMode.DISK, dataset.description());
  }

  /** Both splits packed and stored, with their row counts. */
  private record Packed(JavaRDD<FeatureBlock> train, JavaRDD<FeatureBlock> validation, long trainRows,
      long validationRows) {
    /**
     * One job packs and stores both splits and counts their rows (a Spark job costs tens of ms; spark.ml's
     * cross-validation prepares data for every fold and setting); one block per partition, training first.
     */
    static Packed of(JavaSparkContext sc, JavaRDD<FeatureBlock> train, JavaRDD<FeatureBlock> validation,
        CacheMode mode, String description) {
      List<Integer> blockRows;
      try {
        blockRows = train.union(validation).map(FeatureBlock::rows).collect();
      } catch (RuntimeException e) {
        if (mode == CacheMode.DISK && diskFull(e)) {
          throw new InsufficientMemoryException("the training data fits neither in memory nor on the executors'"
              + " local disks (a task ran out of disk space storing its chunk: " + e.getMessage() + "). Give"
              + " Spark more memory or point spark.local.dir at larger disks");
        }
        throw e;
      }
      int trainPartitions = train.getNumPartitions();
      long trainRows = blockRows.subList(0, trainPartitions).stream().mapToLong(Integer::longValue).sum();
      long validationRows = blockRows.subList(trainPartitions, blockRows.size()).stream()
          .mapToLong(Integer::longValue).sum();
      if (trainRows == 0) {
        train.unpersist(false);
        validation.unpersist(false);
        throw new BadInputException(description + ": no training images");
      }
      try {
        requireFullyCached(sc, train, "training", mode);
        requireFullyCached(sc, validation, "validation", mode);
      } catch (InsufficientMemoryException e) {
        train.unpersist(false);
        validation.unpersist(false);
        throw e;
      }
      return new Packed(train, validation, trainRows, validationRows);
    }

    private static boolean diskFull(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Per-feature statistics of the examples: one partial per partition, merged in partition order, so that float sums
   * come out the same on every run whatever order Spark finishes the tasks in.
   */
  public static FeatureStatistics statistics(JavaRDD<LabeledImage> examples, int features) {
    FeatureStatistics stats = new FeatureStatistics(features);
    for (FeatureStatistics partial : examples.mapPartitions(rows -> {
      FeatureStatistics part = new FeatureStatistics(features);
      rows.forEachRemaining(part::add);
      return List.of(part).iterator();
    }).collect()) {
      stats.merge(partial);
    }
    return stats;
  }

  /**
   * A partition that was not stored would be recomputed, from the input files, at every step: refuse to train that
   * way and say what to change.
   */
  static void requireFullyCached(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, String what, CacheMode mode) {
    int partitions = blocks.getNumPartitions();
    org.apache.spark.storage.BlockId[] ids = new org.apache.spark.storage.BlockId[partitions];
    for (int i = 0; i < partitions; i++) {
      ids[i] = new org.apache.spark.storage.RDDBlockId(blocks.id(), i);
    }
    // Ask the block manager master, which executors update before their tasks end; the status store behind
    // SparkContext.getRDDStorageInfo is fed asynchronously and may not know yet.
    scala.collection.immutable.IndexedSeq<scala.collection.immutable.Seq<org.apache.spark.storage.BlockManagerId>>
        locations = org.apache.spark.SparkEnv.get().blockManager().master().getLocations(ids);
    int cached = 0;
    for (int i = 0; i < partitions; i++) {
      cached += locations.apply(i).isEmpty() ? 0 : 1;
    }
    if (cached < partitions && mode == CacheMode.MEMORY) {
      throw new InsufficientMemoryException(String.format("the %s data does not fit in memory: only %d of %d"
          + " partitions could be cached. Let it spill to the local disks with --cache disk (or auto, the default),"
          + " or give Spark more memory (SLC_DRIVER_MEMORY for submit/local.sh, spark.executor.memory on a cluster)"
          + " or use more executors; more --partitions helps when single partitions are too large for an executor",
          what, cached, partitions));
    }
    if (cached < partitions) {
      throw new InsufficientMemoryException(String.format("the %s data fits neither in memory nor on the local"
          + " disks: only %d of %d chunks could be stored. Give Spark more memory or point spark.local.dir at"
          + " larger disks", what, cached, partitions));
    }
  }

  /**
   * Identifies the training data as the minibatch order sees it: rows per partition, classes, shape and the
   * preprocessing statistics. A checkpoint only resumes on data with the same fingerprint.
   */
  public String fingerprint() {
    java.util.List<Integer> rowsPerPartition = train.map(FeatureBlock::rows).collect();
    double meanSum = 0;
    for (float m : preprocessor.mean()) {
      meanSum += m;
    }
    return "rows=" + rowsPerPartition + " classes=" + classNames + " shape=" + shape + " meanSum=" + meanSum;
  }

  /** Where the blocks are: {@link CacheMode#MEMORY} (one per partition) or {@link CacheMode#DISK} (chunks). */
  public CacheMode cache() {
    return cache;
  }

  /** Why {@code --cache auto} chose where the blocks are; empty when the mode was asked for. */
  public java.util.Optional<ModelMetadata.Choice> cacheChoice() {
    return java.util.Optional.ofNullable(cacheChoice);
  }

  public JavaRDD<FeatureBlock> train() {
    return train;
  }

  public JavaRDD<FeatureBlock> validation() {
    return validation;
  }

  public long trainRows() {
    return trainRows;
  }

  public long validationRows() {
    return validationRows;
  }

  /** Accuracy on the cached validation blocks, evaluated on Spark. */
  public Validation validation(JavaSparkContext sc) {
    return validation(sc, 1);
  }

  /** For a stack of models (a sweep): their mean accuracy, all scored in one pass, a Spark job each time. */
  public Validation validation(JavaSparkContext sc, int models) {
    JavaRDD<FeatureBlock> blocks = validation;
    return validation(models, w -> BlockEvaluator.evaluate(sc, blocks, w),
        w -> BlockEvaluator.evaluateStack(sc, blocks, w, models), w -> BlockEvaluator.cosineDiagnostics(sc, blocks, w));
  }

  /**
   * The training blocks and the validation brought to the driver, in one Spark job: the {@code driver} step mode's
   * data. Validating there saves a Spark job an epoch (about 0.1 s, most of an epoch on a small data set).
   */
  public OnDriver onDriver(int models) {
    if (blocksOnDriver == null) {
      // once per run: the rate search and the training that continues from it share the blocks
      blocksOnDriver = InJvmCollect.collect(train.union(validation)); // one block per partition, train first
    }
    List<FeatureBlock> trainBlocks = trainBlocksOnDriver().orElseThrow();
    List<FeatureBlock> validationBlocks = validationBlocksOnDriver().orElseThrow();
    return new OnDriver(trainBlocks, validation(models, w -> BlockEvaluator.evaluate(validationBlocks, w),
        w -> BlockEvaluator.evaluateStack(validationBlocks, w, models),
        w -> BlockEvaluator.cosineDiagnostics(validationBlocks, w)));
  }

  /** The training blocks, where {@link #onDriver} has brought them to the driver already. */
  public java.util.Optional<List<FeatureBlock>> trainBlocksOnDriver() {
    return java.util.Optional.ofNullable(blocksOnDriver).map(b -> b.subList(0, train.getNumPartitions()));
  }

  /** The validation blocks, where {@link #onDriver} has brought them to the driver already. */
  public java.util.Optional<List<FeatureBlock>> validationBlocksOnDriver() {
    return java.util.Optional.ofNullable(blocksOnDriver).map(b -> b.subList(train.getNumPartitions(), b.size()));
  }

  /** What the {@code driver} step mode trains on: the training blocks and a validation that runs on the driver. */
  public record OnDriver(List<FeatureBlock> train, Validation validation) {}

  private Validation validation(int models, Function<LinearWeights, ConfusionMatrix> single,
      Function<LinearWeights, double[]> stacked, Function<LinearWeights, double[]> cosine) {
    long rows = validationRows;
    return new Validation() {
      @Override
      public long rows() {
        return rows;
      }

      @Override
      public double accuracy(LinearWeights weights) {
        if (models == 1) {
          return single.apply(weights).accuracy();
        }
        double sum = 0;
        for (double a : stacked.apply(weights)) {
          sum += a;
        }
        return sum / models;
      }

      @Override
      public double[] cosineDiagnostics(LinearWeights weights) {
        return cosine.apply(weights);
      }
    };
  }

  public List<String> classNames() {
    return classNames;
  }

  /** The shape of the input images (of the feature vectors, 1 x 1 x D, for non-image inputs). */
  public ImageShape shape() {
    return shape;
  }

  /** Values per cached row: the image's pixels, or the size of its computed features. */
  public int features() {
    return preprocessor.features();
  }

  public Preprocessor preprocessor() {
    return preprocessor;
  }

  @Override
  public void close() {
    blocksOnDriver = null;
    train.unpersist(false);
    validation.unpersist(false);
  }
}
