package org.sparklinear.train;

import java.util.List;
import java.util.function.Function;
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
import org.sparklinear.preprocess.FeatureStatistics;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.preprocess.Scaling;
import org.sparklinear.spark.InJvmCollect;

/**
 * Training and validation rows, preprocessed and cached as one float block per partition: after {@link #prepare}
 * no step reads or decodes input again.
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
  /** The blocks the driver step mode brought over (training's, then validation's), kept for the run's next phase. */
  private List<FeatureBlock> blocksOnDriver;

  private TrainingData(JavaRDD<FeatureBlock> train, JavaRDD<FeatureBlock> validation, long trainRows,
      long validationRows, List<String> classNames, ImageShape shape, Preprocessor preprocessor) {
    this.train = train;
    this.validation = validation;
    this.trainRows = trainRows;
    this.validationRows = validationRows;
    this.classNames = classNames;
    this.shape = shape;
    this.preprocessor = preprocessor;
  }

  /**
   * Splits off the validation records, fits the preprocessing on the training records, packs and caches both.
   *
   * @param preprocessor statistics to reuse (warm start), or null to fit them here
   */
  public static TrainingData prepare(JavaSparkContext sc, ImageDataset dataset, ValidationSplit split,
      Scaling scaling, Preprocessor preprocessor) {
    sc.setJobDescription("reading " + dataset.description());
    // Raw 8-bit images are cached briefly so that statistics and packing read the input once.
    JavaRDD<LabeledImage> raw = dataset.images().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      JavaRDD<LabeledImage> trainImages = raw.filter(img -> !split.isValidation(img.source()));
      JavaRDD<LabeledImage> validationImages = raw.filter(img -> split.isValidation(img.source()));
      Preprocessor fitted = preprocessor;
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
        if (fitted.scaling() != scaling) {
          LOG.info("feature vectors are standardised (--scaling {} divides 8-bit pixels by 255)", scaling.cliName());
        }
      }
      sc.setJobDescription("packing and caching feature blocks");
      JavaRDD<FeatureBlock> trainBlocks = BlockPacker.pack(trainImages, fitted).persist(StorageLevel.MEMORY_ONLY());
      JavaRDD<FeatureBlock> validationBlocks = BlockPacker.pack(validationImages, fitted)
          .persist(StorageLevel.MEMORY_ONLY());
      // one job packs and caches both splits and counts their rows (a Spark job costs tens of ms; spark.ml's
      // cross-validation prepares data for every fold and setting); one block per partition, training first
      List<Integer> blockRows = trainBlocks.union(validationBlocks).map(FeatureBlock::rows).collect();
      int trainPartitions = trainBlocks.getNumPartitions();
      long trainRows = blockRows.subList(0, trainPartitions).stream().mapToLong(Integer::longValue).sum();
      long validationRows = blockRows.subList(trainPartitions, blockRows.size()).stream()
          .mapToLong(Integer::longValue).sum();
      if (trainRows == 0) {
        throw new BadInputException(dataset.description() + ": no training images");
      }
      requireFullyCached(sc, trainBlocks, "training");
      requireFullyCached(sc, validationBlocks, "validation");
      long skipped = dataset.skippedBadImages().value();
      if (skipped > 0) {
        LOG.warn("skipped {} bad images (--skip-bad-images)", skipped);
      }
      LOG.info("cached {} training and {} validation rows of {} features in {} partitions", trainRows,
          validationRows, dataset.features(), trainBlocks.getNumPartitions());
      return new TrainingData(trainBlocks, validationBlocks, trainRows, validationRows, dataset.classNames(),
          dataset.shape(), fitted);
    } finally {
      raw.unpersist(false);
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
   * A partition that did not fit in memory would be recomputed, from the input files, at every step: refuse to train
   * that way and say what to change.
   */
  static void requireFullyCached(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, String what) {
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
    if (cached < partitions) {
      throw new InsufficientMemoryException(String.format("the %s data does not fit in memory: only %d of %d"
          + " partitions could be cached. Give Spark more memory (SLC_DRIVER_MEMORY for submit/local.sh,"
          + " spark.executor.memory on a cluster) or use more executors; more --partitions helps when single"
          + " partitions are too large for an executor", what, cached, partitions));
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
