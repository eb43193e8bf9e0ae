package org.sparklinear.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;

/**
 * What Spark Connect's ML handler (Spark 4.2, {@code sql/connect/ml/MLUtils}) does with a third-party stage, done
 * here the same way, without a server: it lists the registered estimators and transformers through
 * {@code ServiceLoader.stream()} (which needs a public no-argument constructor), creates a stage by its class name
 * with the {@code (String uid)} constructor, loads a saved one with the static {@code load(String)}, and converts a
 * Python client's param values by each param's data class (byte, short, int, long, float, double, boolean, String
 * or arrays of them; Python sends int as long and float as double).
 */
class SparkConnectContractTest {
  private static final Set<Class<?>> SCALAR_TYPES = Set.of(byte.class, short.class, int.class, long.class,
      float.class, double.class, boolean.class, String.class);

  @Test
  void theEstimatorAndTheStagesAreRegisteredForServiceLoader() {
    assertTrue(registered(Estimator.class).contains(LinearImageClassifier.class), registered(Estimator.class)
        .toString());
    List<Class<?>> transformers = registered(Transformer.class);
    assertTrue(transformers.contains(LinearImageClassificationModel.class), transformers.toString());
    assertTrue(transformers.contains(ImagePixels.class), transformers.toString());
  }

  @Test
  void stagesAreMadeByTheirUidAndLoadedByAStaticLoad() throws Exception {
    for (Class<?> stage : List.of(LinearImageClassifier.class, ImagePixels.class)) {
      Params made = (Params) stage.getConstructor(String.class).newInstance("fromPython_1234");
      assertEquals("fromPython_1234", made.uid(), stage.getName());
      assertTrue(made.params().length > 0);
    }
    for (Class<?> stage : List.of(LinearImageClassifier.class, LinearImageClassificationModel.class,
        ImagePixels.class)) {
      Method load = stage.getMethod("load", String.class);
      assertTrue(Modifier.isStatic(load.getModifiers()) && stage.isAssignableFrom(load.getReturnType()),
          stage.getName() + ".load(String) is static and returns the stage: " + load);
    }
    // the handler's allow-list lets a Python model call numClasses, numFeatures, predict, predictRaw and
    // predictProbability on probabilistic classification models
    assertTrue(ProbabilisticClassificationModel.class.isAssignableFrom(LinearImageClassificationModel.class));
  }

  @Test
  void aModelMadeForServiceLoaderHasNoWeightsAndSaysSo() {
    LinearImageClassificationModel empty = new LinearImageClassificationModel();
    assertTrue(empty.toString().contains("no weights"), empty.toString());
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        empty::numClasses);
    assertTrue(e.getMessage().contains("load a saved model"), e.getMessage());
  }

  /** Every param this project declares takes the value a Python client sends, as Connect converts and sets it. */
  @Test
  void everyParamTakesWhatAPythonClientSends() {
    Map<String, Object> python = new LinkedHashMap<>();
    python.put("loss", "hinge");
    python.put("hingeDelta", 2.0);
    python.put("maxIter", 3L);
    python.put("stepSize", 0.5);
    python.put("regParam", 0.001);
    python.put("batchSize", 64L);
    python.put("momentum", 0.5);
    python.put("nesterov", true);
    python.put("learningRateSchedule", "exponential:0.9");
    python.put("seed", 7L);
    python.put("validationFraction", 0.2);
    python.put("patience", 2L);
    python.put("scaling", "standardize");
    python.put("initScale", 0.01);
    python.put("aggregationDepth", 2L);
    python.put("optimizer", "sgd"); // local steps (below) take sgd only
    python.put("l1RegParam", 0.0001);
    python.put("features", "hog");
    python.put("randomFeatures", 100L);
    python.put("imageSize", "32x32");
    python.put("stepMode", "driver");
    python.put("localSteps", 4L);
    python.put("mirror", "false");
    LinearImageClassifier estimator = new LinearImageClassifier("connect_1");
    assertEquals(declaredParams(estimator), python.keySet(), "every declared param is exercised here");
    for (Map.Entry<String, Object> e : python.entrySet()) {
      setAsConnectDoes(estimator, e.getKey(), e.getValue());
    }
    assertEquals(3, estimator.trainingConfig().epochs());
    assertEquals(64, estimator.trainingConfig().batchSize());
    assertEquals("sgd", estimator.trainingConfig().optimizer().cliName());
    assertEquals(4, estimator.trainingConfig().localSteps());
    assertEquals("false", estimator.trainingConfig().toOptions().get("mirror"));
    assertFalse(estimator.trainingConfig().automatic().has(
        org.sparklinear.train.AutomaticSettings.Setting.MIRROR), "mirror given, not left to the data");
    assertEquals("32x32", estimator.getOrDefault(estimator.imageSize()));

    ImagePixels pixels = new ImagePixels("connect_2");
    setAsConnectDoes(pixels, "inputCol", "picture");
    assertEquals("picture", pixels.getOrDefault(pixels.inputCol()));
  }

  /** The README's Python snippet names registered classes and params the estimator has. */
  @Test
  void theReadmesPythonSnippetNamesWhatIsRegistered() throws Exception {
    String readme = Files.readString(TestSupport.projectDir().resolve("README.md"));
    Matcher block = Pattern.compile("```python\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(block.find(), "the README shows a Python snippet");
    String snippet = block.group(1);
    Matcher java = Pattern.compile("\"(org\\.sparklinear\\.[\\w.]+)\"").matcher(snippet);
    List<String> named = new ArrayList<>();
    while (java.find()) {
      named.add(java.group(1));
    }
    List<String> registered = new ArrayList<>();
    registered(Estimator.class).forEach(c -> registered.add(c.getName()));
    registered(Transformer.class).forEach(c -> registered.add(c.getName()));
    assertTrue(!named.isEmpty() && registered.containsAll(named), named + " not all in " + registered);
    Matcher param = Pattern.compile("Param\\(Params\\._dummy\\(\\), \"(\\w+)\"").matcher(snippet);
    LinearImageClassifier estimator = new LinearImageClassifier();
    int params = 0;
    while (param.find()) {
      assertTrue(estimator.hasParam(param.group(1)), "the snippet declares a param the estimator lacks: "
          + param.group(1));
      params++;
    }
    assertTrue(params > 0, "the snippet declares the params it sets");
  }

  private static List<Class<?>> registered(Class<?> service) {
    List<Class<?>> types = new ArrayList<>();
    ServiceLoader.load(service, Thread.currentThread().getContextClassLoader()).stream()
        .forEach(p -> types.add(p.type()));
    return types;
  }

  /** The names of the params a stage declares itself (not those it inherits from Spark). */
  private static Set<String> declaredParams(Params stage) throws RuntimeException {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (Method m : stage.getClass().getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && Param.class.isAssignableFrom(m.getReturnType())
          && Modifier.isPublic(m.getModifiers())) {
        names.add(m.getName());
      }
    }
    return names;
  }

  /** MLUtils.setInstanceParams for a scalar literal: convert by the param's data class, then set (which validates). */
  private static void setAsConnectDoes(Params stage, String name, Object pythonValue) {
    Param<Object> p = stage.getParam(name);
    Class<?> type = p.dataClass();
    assertTrue(type != null && SCALAR_TYPES.contains(type), name + " has data class " + type
        + ", which Spark Connect cannot convert a client's value to");
    // (one if per type: a ?: chain of mixed numbers would promote every branch to double)
    Object value = pythonValue;
    if (type == byte.class) {
      value = ((Number) pythonValue).byteValue();
    } else if (type == short.class) {
      value = ((Number) pythonValue).shortValue();
    } else if (type == int.class) {
      value = ((Number) pythonValue).intValue();
    } else if (type == long.class) {
      value = ((Number) pythonValue).longValue();
    } else if (type == float.class) {
      value = ((Number) pythonValue).floatValue();
    } else if (type == double.class) {
      value = ((Number) pythonValue).doubleValue();
    } else {
      value = type == String.class ? (String) pythonValue : (Boolean) pythonValue;
    }
    stage.set(p, value);
    assertEquals(value, stage.getOrDefault(p), name);
  }
}
