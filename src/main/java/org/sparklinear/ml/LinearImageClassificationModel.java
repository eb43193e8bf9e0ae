package org.sparklinear.ml;

import java.io.IOException;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.loss.SoftmaxLoss;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelStore;

/**
 * The fitted spark.ml model: scores {@code W x + b} of the preprocessed feature vector as {@code rawPrediction}, their
 * softmax as {@code probability} (calibrated for the softmax loss; for the hinge losses only a normalised score),
 * and the best class index as {@code prediction}. Saved as Spark's params metadata plus this project's own model
 * directory, so the command line can read it too ({@code evaluate --model PATH/model}).
 */
public final class LinearImageClassificationModel
    extends ProbabilisticClassificationModel<Vector, LinearImageClassificationModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  /** The project's model directory inside a saved spark.ml model. */
  public static final String MODEL_DIR = "model";

  private final String uid;
  private final LinearClassifier classifier;

  /**
   * A model without weights, for {@code ServiceLoader} (Spark Connect lists the registered transformers through
   * it, which needs this constructor); it scores nothing. Load a model with {@link #load}.
   */
  public LinearImageClassificationModel() {
    this(org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("linearImageClassificationModel"), null);
  }

  public LinearImageClassificationModel(String uid, LinearClassifier classifier) {
    this(PendingUid.park(uid), classifier, true);
  }

  private LinearImageClassificationModel(String uid, LinearClassifier classifier, boolean parked) {
    super();
    this.uid = uid;
    PendingUid.clear();
    this.classifier = classifier;
  }

  /** Wraps a model the command line trained, to use it in a pipeline (feature vectors: pixels as ImagePixels gives). */
  public static LinearImageClassificationModel fromModelDirectory(String dir,
      org.apache.hadoop.conf.Configuration conf) {
    return new LinearImageClassificationModel(org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID(
        "linearImageClassificationModel"), new ModelStore(conf).read(dir));
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.peek();
  }

  public LinearClassifier classifier() {
    if (classifier == null) {
      throw new IllegalStateException(uid() + " was made without weights (the constructor ServiceLoader needs): fit"
          + " an estimator or load a saved model");
    }
    return classifier;
  }

  public List<String> classNames() {
    return classifier().classNames();
  }

  @Override
  public int numClasses() {
    return classifier().classNames().size();
  }

  @Override
  public int numFeatures() {
    return classifier().weights().features();
  }

  @Override
  public Vector predictRaw(Vector features) {
    LabeledImage example = LabeledImage.ofFeatures("a '" + getFeaturesCol() + "' vector", 0,
        VectorRows.toFloats(features));
    LinearClassifier classifier = classifier();
    if (classifier.shape().height() > 1 && !classifier.features().isIdentity()) {
      example = VectorRows.asImage(example); // image features are computed from the pixels
    }
    return Vectors.dense(classifier.predict(example).scores());
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    DenseVector dense = (DenseVector) rawPrediction;
    double[] p = SoftmaxLoss.softmax(dense.values());
    System.arraycopy(p, 0, dense.values(), 0, p.length);
    return dense;
  }

  /**
   * Scala declares this in two superclasses with covariant tuple types that Java cannot tell apart; the raw type
   * resolves the clash, and the probabilistic superclass's version is the one that applies.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public LinearImageClassificationModel copy(ParamMap extra) {
    return copyValues(new LinearImageClassificationModel(uid(), classifier), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<LinearImageClassificationModel> read() {
    return new Reader();
  }

  public static LinearImageClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "LinearImageClassificationModel: uid=" + uid() + (classifier == null ? ", no weights" : ", "
        + classifier.loss().cliName() + ", classes=" + numClasses() + ", features=" + numFeatures());
  }

  /**
   * The project's model directory inside a saved model at {@code path}. Spark Connect's model cache moves models
   * out of memory to the server's local disk and back ({@code saveToLocal}, {@code loadFromLocal}): those paths are
   * local files whatever the default file system is, as Spark's own readers and writers treat them.
   */
  private static String modelDirectory(String path) {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(path, MODEL_DIR);
    boolean local = Boolean.TRUE.equals(org.apache.spark.ml.util.ReadWriteUtils$.MODULE$.localSavingModeState()
        .get());
    return local && dir.toUri().getScheme() == null ? new java.io.File(dir.toString()).toURI().toString()
        : dir.toString();
  }

  private static final class Writer extends MLWriter {
    private final LinearImageClassificationModel instance;

    Writer(LinearImageClassificationModel instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
      try {
        new ModelStore(sparkSession().sparkContext().hadoopConfiguration()).write(instance.classifier(),
            modelDirectory(path), false);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(path + ": cannot write the model: " + e.getMessage(), e);
      }
    }
  }

  private static final class Reader extends MLReader<LinearImageClassificationModel> {
    @Override
    public LinearImageClassificationModel load(String path) {
      DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
          LinearImageClassificationModel.class.getName());
      LinearClassifier classifier = new ModelStore(sparkSession().sparkContext().hadoopConfiguration())
          .read(modelDirectory(path));
      LinearImageClassificationModel model = new LinearImageClassificationModel(metadata.uid(), classifier);
      metadata.getAndSetParams(model, scala.Option.empty());
      return model;
    }
  }
}
