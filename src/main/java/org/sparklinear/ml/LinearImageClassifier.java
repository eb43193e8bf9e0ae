package org.sparklinear.ml;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ImageShape;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.loss.LossKind;
import org.sparklinear.optim.OptimizerKind;
import org.sparklinear.pipeline.PreparedData;
import org.sparklinear.pipeline.TrainingPipeline;
import org.sparklinear.preprocess.Scaling;
import org.sparklinear.train.StepMode;
import org.sparklinear.train.TrainingConfig;

/**
 * The spark.ml Estimator of a multiclass linear classifier (softmax or SVM) trained by this project's distributed
 * minibatch SGD: the same trainer as the command line, fed from a DataFrame's vector column. Works in a
 * {@code Pipeline}, with {@code CrossValidator}, and saves and loads like any spark.ml stage.
 *
 * <p>Labels are class indices {@code 0..K-1} (a {@code StringIndexer} output, whose names the model keeps). Defaults
 * are those of {@code conf/train.properties}, except that no validation split is held out unless
 * {@code validationFraction} is set (cross-validation holds out its own folds).
 */
public final class LinearImageClassifier
    extends ProbabilisticClassifier<Vector, LinearImageClassifier, LinearImageClassificationModel>
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final int MAX_CLASSES = 10_000;

  private final String uid;
  private final Param<String> loss;
  private final DoubleParam hingeDelta;
  private final IntParam maxIter;
  private final DoubleParam stepSize;
  private final DoubleParam regParam;
  private final IntParam batchSize;
  private final DoubleParam momentum;
  private final BooleanParam nesterov;
  private final Param<String> learningRateSchedule;
  private final LongParam seed;
  private final DoubleParam validationFraction;
  private final IntParam patience;
  private final Param<String> scaling;
  private final DoubleParam initScale;
  private final IntParam aggregationDepth;
  private final Param<String> optimizer;
  private final DoubleParam l1RegParam;
  private final Param<String> features;
  private final IntParam randomFeatures;
  private final Param<String> imageSize;
  private final Param<String> stepMode;
  private final IntParam localSteps;
  private final Param<String> mirror;

  public LinearImageClassifier() {
    this(Identifiable$.MODULE$.randomUID("linearImageClassifier"));
  }

  public LinearImageClassifier(String uid) {
    this(PendingUid.park(uid), true);
  }

  private LinearImageClassifier(String uid, boolean parked) {
    super();
    this.uid = uid;
    PendingUid.clear();
    TrainingConfig d = TrainingConfig.builder().build();
    String[] losses = java.util.Arrays.stream(LossKind.values()).map(LossKind::cliName).toArray(String[]::new);
    loss = StringParams.of(uid, "loss", "loss: " + String.join(", ", losses), ParamValidators.inArray(losses));
    hingeDelta = new DoubleParam(this, "hingeDelta", "margin delta of the hinge losses", ParamValidators.gt(0));
    maxIter = new IntParam(this, "maxIter", "passes over the training data (epochs)", ParamValidators.gtEq(1));
    stepSize = new DoubleParam(this, "stepSize", "initial learning rate; 0 means the loss's default",
        ParamValidators.gtEq(0));
    regParam = new DoubleParam(this, "regParam", "L2 strength lambda in lambda * sum(W^2)", ParamValidators.gtEq(0));
    batchSize = new IntParam(this, "batchSize", "rows per SGD step over all partitions", ParamValidators.gtEq(1));
    momentum = new DoubleParam(this, "momentum", "momentum coefficient; 0 is plain SGD",
        ParamValidators.inRange(0, 1, true, false));
    nesterov = new BooleanParam(this, "nesterov", "Nesterov momentum instead of standard momentum");
    learningRateSchedule = StringParams.of(uid, "learningRateSchedule",
        "constant, step:FACTOR:EVERY_EPOCHS, exponential:FACTOR or auto (a tenth of the rate after maxIter epochs)");
    seed = new LongParam(this, "seed", "seed of the initial weights, the validation split and the minibatch order");
    validationFraction = new DoubleParam(this, "validationFraction",
        "fraction held out to validate each epoch (needed by patience)", ParamValidators.inRange(0, 1, true, false));
    patience = new IntParam(this, "patience", "stop after this many epochs without validation improvement; 0 never",
        ParamValidators.gtEq(0));
    scaling = StringParams.of(uid, "scaling", "after mean subtraction: unit (pixels / 255) or standardize; feature"
        + " vectors that are not pixels are always standardised", ParamValidators.inArray(new String[] {"unit",
        "standardize"}));
    initScale = new DoubleParam(this, "initScale", "standard deviation of the initial weights", ParamValidators.gt(0));
    aggregationDepth = new IntParam(this, "aggregationDepth", "treeAggregate depth; 0 chooses from the partitions",
        ParamValidators.gtEq(0));
    String[] optimizers = java.util.Arrays.stream(org.sparklinear.optim.OptimizerKind.values())
        .map(org.sparklinear.optim.OptimizerKind::cliName).toArray(String[]::new);
    optimizer = StringParams.of(uid, "optimizer", "update rule: " + String.join(", ", optimizers),
        ParamValidators.inArray(optimizers));
    l1RegParam = new DoubleParam(this, "l1RegParam", "L1 strength in l1 * sum |W|, added to regParam's L2 term",
        ParamValidators.gtEq(0));
    features = StringParams.of(uid, "features", "what the model computes from an image: pixels, hog, color-hist or"
        + " several joined with + (anything but pixels needs imageSize)");
    randomFeatures = new IntParam(this, "randomFeatures", "random ReLU features on top of the features; 0 none",
        ParamValidators.gtEq(0));
    imageSize = StringParams.of(uid, "imageSize", "WIDTHxHEIGHT when the vectors are RGB images as ImagePixels gives"
        + " them (planar, 0..255); empty when they are not images");
    stepMode = StringParams.of(uid, "stepMode", "where the SGD steps run: jobs, driver or auto (the same model either"
        + " way)", ParamValidators.inArray(new String[] {"jobs", "driver", "auto"}));
    setDefault(stepMode, d.stepMode().cliName());
    localSteps = new IntParam(this, "localSteps", "SGD steps each partition takes on its own rows between"
        + " combinations: 1 is exact minibatch SGD, more is local SGD with model and momentum averaging",
        ParamValidators.gtEq(1));
    setDefault(localSteps, d.localSteps());
    mirror = StringParams.of(uid, "mirror", "true: each class template left-right symmetric, so an image and its"
        + " mirror image score alike (needs imageSize); auto: where it lowers the validation loss",
        ParamValidators.inArray(new String[] {"auto", "true", "false"}));
    setDefault(mirror, "auto");
    setDefault(features, "pixels");
    setDefault(randomFeatures, 0);
    setDefault(imageSize, "");
    setDefault(optimizer, d.optimizer().cliName());
    setDefault(l1RegParam, d.l1());
    setDefault(loss, d.loss().cliName());
    setDefault(hingeDelta, d.hingeDelta());
    setDefault(maxIter, d.epochs());
    setDefault(stepSize, 0.0);
    setDefault(regParam, d.regularization());
    setDefault(batchSize, d.batchSize());
    setDefault(momentum, d.momentum());
    setDefault(nesterov, d.nesterov());
    setDefault(learningRateSchedule, org.sparklinear.config.OptionCatalog.load().get("lr-decay").defaultValue());
    setDefault(seed, d.seed());
    setDefault(validationFraction, 0.0);
    setDefault(patience, d.patience());
    setDefault(scaling, d.scaling().cliName());
    setDefault(initScale, d.initScale());
    setDefault(aggregationDepth, d.treeDepth());
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.peek();
  }

  // Spark finds params by their public no-argument accessors.
  public Param<String> loss() { return loss; }
  public DoubleParam hingeDelta() { return hingeDelta; }
  public IntParam maxIter() { return maxIter; }
  public DoubleParam stepSize() { return stepSize; }
  public DoubleParam regParam() { return regParam; }
  public IntParam batchSize() { return batchSize; }
  public DoubleParam momentum() { return momentum; }
  public BooleanParam nesterov() { return nesterov; }
  public Param<String> learningRateSchedule() { return learningRateSchedule; }
  public LongParam seed() { return seed; }
  public DoubleParam validationFraction() { return validationFraction; }
  public IntParam patience() { return patience; }
  public Param<String> scaling() { return scaling; }
  public DoubleParam initScale() { return initScale; }
  public IntParam aggregationDepth() { return aggregationDepth; }
  public Param<String> optimizer() { return optimizer; }
  public Param<String> features() { return features; }
  public IntParam randomFeatures() { return randomFeatures; }
  public Param<String> imageSize() { return imageSize; }
  public DoubleParam l1RegParam() { return l1RegParam; }
  public Param<String> stepMode() { return stepMode; }
  public IntParam localSteps() { return localSteps; }
  public Param<String> mirror() { return mirror; }

  public LinearImageClassifier setLoss(String v) { return (LinearImageClassifier) set(loss, v); }
  public LinearImageClassifier setHingeDelta(double v) { return (LinearImageClassifier) set(hingeDelta, v); }
  public LinearImageClassifier setMaxIter(int v) { return (LinearImageClassifier) set(maxIter, v); }
  public LinearImageClassifier setStepSize(double v) { return (LinearImageClassifier) set(stepSize, v); }
  public LinearImageClassifier setRegParam(double v) { return (LinearImageClassifier) set(regParam, v); }
  public LinearImageClassifier setBatchSize(int v) { return (LinearImageClassifier) set(batchSize, v); }
  public LinearImageClassifier setMomentum(double v) { return (LinearImageClassifier) set(momentum, v); }
  public LinearImageClassifier setNesterov(boolean v) { return (LinearImageClassifier) set(nesterov, v); }
  public LinearImageClassifier setLearningRateSchedule(String v) {
    return (LinearImageClassifier) set(learningRateSchedule, v);
  }
  public LinearImageClassifier setSeed(long v) { return (LinearImageClassifier) set(seed, v); }
  public LinearImageClassifier setValidationFraction(double v) {
    return (LinearImageClassifier) set(validationFraction, v);
  }
  public LinearImageClassifier setPatience(int v) { return (LinearImageClassifier) set(patience, v); }
  public LinearImageClassifier setScaling(String v) { return (LinearImageClassifier) set(scaling, v); }
  public LinearImageClassifier setInitScale(double v) { return (LinearImageClassifier) set(initScale, v); }
  public LinearImageClassifier setAggregationDepth(int v) { return (LinearImageClassifier) set(aggregationDepth, v); }
  public LinearImageClassifier setOptimizer(String v) { return (LinearImageClassifier) set(optimizer, v); }
  public LinearImageClassifier setFeatures(String v) { return (LinearImageClassifier) set(features, v); }
  public LinearImageClassifier setRandomFeatures(int v) { return (LinearImageClassifier) set(randomFeatures, v); }
  public LinearImageClassifier setImageSize(String v) { return (LinearImageClassifier) set(imageSize, v); }
  public LinearImageClassifier setL1RegParam(double v) { return (LinearImageClassifier) set(l1RegParam, v); }
  public LinearImageClassifier setStepMode(String v) { return (LinearImageClassifier) set(stepMode, v); }
  public LinearImageClassifier setLocalSteps(int v) { return (LinearImageClassifier) set(localSteps, v); }
  public LinearImageClassifier setMirror(String v) { return (LinearImageClassifier) set(mirror, v); }

  /** The training configuration these params stand for: the defaults, with every param's value set over them. */
  public TrainingConfig trainingConfig() {
    TrainingConfig.Builder b = TrainingConfig.builder()
        .loss(LossKind.fromName($(loss)))
        .hingeDelta((Double) $(hingeDelta))
        .epochs((Integer) $(maxIter))
        .regularization((Double) $(regParam))
        .batchSize((Integer) $(batchSize))
        .momentum((Double) $(momentum))
        .nesterov((Boolean) $(nesterov))
        .set("lr-decay", $(learningRateSchedule))
        .seed((Long) $(seed))
        .validationFraction((Double) $(validationFraction))
        .patience((Integer) $(patience))
        .scaling(Scaling.fromName($(scaling)))
        .initScale((Double) $(initScale))
        .treeDepth((Integer) $(aggregationDepth))
        .optimizer(OptimizerKind.fromName($(optimizer)))
        .l1((Double) $(l1RegParam))
        .stepMode(StepMode.fromName($(stepMode)))
        .localSteps((Integer) $(localSteps))
        .set("mirror", $(mirror));
    double rate = (Double) $(stepSize);
    return (rate == 0 ? b.autoLearningRate() : b.learningRate(rate)).build();
  }

  @Override
  public LinearImageClassificationModel train(Dataset<?> dataset) {
    TrainingConfig config = trainingConfig();
    int classes = getNumClasses(dataset, MAX_CLASSES);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    String size = $(imageSize);
    ImageDataset rows = fewerPartitions(VectorRows.dataset(dataset, getFeaturesCol(), getLabelCol(), classes,
        size.isEmpty() ? null : ImageShape.parseSize(size, 3)), config.partitions() > 0 ? config.partitions()
        : sc.defaultParallelism());
    FeatureTransform transform;
    try {
      transform = FeatureTransform.parse($(features), (Integer) $(randomFeatures), config.seed());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (param features)", e);
    }
    TrainingPipeline pipeline = new TrainingPipeline(sc, config).features(transform)
        .trainedBy("spark.ml " + getClass().getName() + " " + uid());
    try (PreparedData prepared = pipeline.prepare(rows, rows.description())) {
      return new LinearImageClassificationModel(uid(), pipeline.train(prepared));
    }
  }

  /**
   * A data source may split even a small input into many partitions (the image source makes one per file group);
   * every step would then run that many tiny tasks. The rows are merged into at most {@code partitions}.
   */
  private static ImageDataset fewerPartitions(ImageDataset rows, int partitions) {
    if (rows.images().getNumPartitions() <= partitions) {
      return rows;
    }
    return new ImageDataset(rows.images().coalesce(partitions), rows.classNames(), rows.shape(), rows.records(),
        rows.skippedBadImages(), rows.description());
  }

  @Override
  public LinearImageClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<LinearImageClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static LinearImageClassifier load(String path) {
    return read().load(path);
  }
}
