package org.sparklinear.export;

import static org.sparklinear.export.OnnxGraph.DOUBLE;
import static org.sparklinear.export.OnnxGraph.FLOAT;
import static org.sparklinear.export.OnnxGraph.INT64;
import static org.sparklinear.export.OnnxGraph.in;
import static org.sparklinear.export.OnnxGraph.intAttribute;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparklinear.BadInputException;
import org.sparklinear.data.ImageShape;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.model.LinearClassifier;

/**
 * A trained model as one ONNX graph of standard operators (opset 17) that scores as {@link LinearClassifier#predict}
 * does:
 * <ul>
 *   <li>input {@value #IMAGE_INPUT}: {@code N x C x H x W} floats holding the 8-bit pixel values 0..255 (channel planes
 *       R, G, B, as the model saw them), or for a model on feature vectors (LibSVM) {@value #FEATURES_INPUT}:
 *       {@code N x D} floats;</li>
 *   <li>random features (if any): the saved input standardisation, the seeded projection plus offsets (Gemm), ReLU;</li>
 *   <li>the saved preprocessing {@code (x - mean) / scale} in float32, as the scorer computes it;</li>
 *   <li>the scores {@code W x + b} in float64 (the scorer's precision), {@value #LABEL_OUTPUT} their argmax (int64),
 *       and for softmax models the {@value #PROBABILITIES_OUTPUT}.</li>
 * </ul>
 * The class names and how to feed the graph are in the model's metadata properties. Features that standard operators
 * do not reproduce exactly are refused, naming the feature, rather than exported to score differently.
 */
public final class OnnxExporter {
  public static final String IMAGE_INPUT = "image";
  public static final String FEATURES_INPUT = "features";
  public static final String LABEL_OUTPUT = "label";
  public static final String SCORES_OUTPUT = "scores";
  public static final String PROBABILITIES_OUTPUT = "probabilities";
  public static final String PRODUCER = "spark-linear-classifier";
  static final int OPSET = 17;
  /** The IR version of opset 17 (ONNX 1.12). */
  static final int IR_VERSION = 8;

  /** Why each named feature that cannot be exported cannot be. */
  private static final Map<String, String> NOT_EXPORTABLE = Map.of(
      "hog", "its orientation bins come from Java's double-precision atan2, and ONNX has no Atan2: an equivalent"
          + " built from Atan in another precision can put a gradient at a bin edge into the neighbouring bin",
      "color-hist", "this exporter does not build its per-pixel HSV hue binning (standard operators could express"
          + " it, but it is not written)");

  private OnnxExporter() {}

  /** The serialised ONNX model. */
  public static byte[] export(LinearClassifier model) {
    return toModelProto(model).toByteArray();
  }

  /** Whether the model takes feature vectors (LibSVM, a vector column: shape {@code 1 x 1 x D}) rather than images. */
  public static boolean takesFeatureVectors(LinearClassifier model) {
    return model.shape().channels() == 1 && model.shape().height() == 1;
  }

  static ModelProto toModelProto(LinearClassifier model) {
    checkExportable(model);
    ImageShape shape = model.shape();
    FeatureTransform features = model.features();
    LinearWeights w = model.weights();
    int k = w.classes();
    int d = w.features();
    boolean vectors = takesFeatureVectors(model);
    OnnxGraph g = new OnnxGraph("linear_classifier");

    String x;
    if (vectors) {
      g.input(FEATURES_INPUT, FLOAT, -1, shape.width());
      x = FEATURES_INPUT;
    } else {
      g.input(IMAGE_INPUT, FLOAT, -1, shape.channels(), shape.height(), shape.width());
      x = g.node("Flatten", "pixels", in(IMAGE_INPUT), intAttribute("axis", 1));
    }
    if (features.randomFeatures() > 0) {
      int base = features.baseSize(shape);
      int r = features.randomFeatures();
      float[][] projection = features.randomProjection(shape);
      x = g.node("Sub", "random_centred", in(x, g.constant("random_input_mean", features.inputMean(), base)));
      x = g.node("Div", "random_standardised", in(x, g.constant("random_input_scale", features.inputScale(), base)));
      x = g.node("Gemm", "random_projected", in(x, g.constant("random_projection", projection[0], r, base),
          g.constant("random_offsets", projection[1], r)), intAttribute("transB", 1));
      x = g.node("Relu", "random_features", in(x));
    }
    x = g.node("Sub", "centred", in(x, g.constant("mean", model.preprocessor().mean(), d)));
    x = g.node("Div", "preprocessed", in(x, g.constant("scale", model.preprocessor().scale(), d)));
    x = g.node("Cast", "preprocessed_f64", in(x), intAttribute("to", DOUBLE));
    double[] params = w.parameters();
    double[] weights = java.util.Arrays.copyOfRange(params, 0, w.biasOffset());
    double[] biases = java.util.Arrays.copyOfRange(params, w.biasOffset(), params.length);
    g.node("Gemm", SCORES_OUTPUT, in(x, g.constant("weights", weights, k, d), g.constant("biases", biases, k)),
        intAttribute("transB", 1));
    g.node("ArgMax", LABEL_OUTPUT, in(SCORES_OUTPUT), intAttribute("axis", 1), intAttribute("keepdims", 0));
    g.output(LABEL_OUTPUT, INT64, -1);
    g.output(SCORES_OUTPUT, DOUBLE, -1, k);
    if (model.loss() == LossKind.SOFTMAX) {
      g.node("Softmax", PROBABILITIES_OUTPUT, in(SCORES_OUTPUT), intAttribute("axis", 1));
      g.output(PROBABILITIES_OUTPUT, DOUBLE, -1, k);
    }

    ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName(PRODUCER)
        .setDocString("a multiclass linear classifier (" + model.loss().cliName() + ") on " + features
            + " of " + shape + (vectors ? " feature vectors" : " images") + "; " + LABEL_OUTPUT
            + " indexes class_names")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(g.build());
    if (model.metadata().codeVersion() != null) {
      m.setProducerVersion(model.metadata().codeVersion());
    }
    metadata(model, vectors).forEach((key, value) ->
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return m.build();
  }

  private static Map<String, String> metadata(LinearClassifier model, boolean vectors) {
    Map<String, String> props = new LinkedHashMap<>();
    try {
      props.put("class_names", new ObjectMapper().writeValueAsString(model.classNames()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    props.put("loss", model.loss().cliName());
    props.put("features", model.features().toString());
    props.put("input", vectors ? FEATURES_INPUT + ": N x " + model.shape().width() + " float feature values"
        : IMAGE_INPUT + ": N x " + model.shape().channels() + " x " + model.shape().height() + " x "
            + model.shape().width() + " float pixel values 0..255, channel planes"
            + (model.shape().channels() == 3 ? " R, G, B" : " (grey: 0.299 R + 0.587 G + 0.114 B, rounded)"));
    props.put("preprocessing", "(x - mean) / scale, scaling " + model.preprocessor().scaling().cliName());
    return props;
  }

  /** Refuses a model whose features standard operators do not compute exactly, naming the feature. */
  static void checkExportable(LinearClassifier model) {
    for (String name : model.features().names()) {
      String why = NOT_EXPORTABLE.get(name);
      if (why != null) {
        throw new BadInputException("cannot export a model with the feature '" + name + "' (features "
            + model.features().spec() + ") to ONNX: " + why + ". Models on pixels or feature vectors, with or"
            + " without random features, export");
      }
    }
  }
}
