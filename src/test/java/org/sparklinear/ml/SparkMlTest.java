package org.sparklinear.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.BadInputException;
import org.sparklinear.TestSupport;
import org.sparklinear.model.ModelStore;

/**
 * The spark.ml Estimator and Model on real Spark: vector columns, LibSVM and image sources, pipelines, persistence.
 * The README's cross-validated pipeline example ({@code examples/PipelineExample}) is checked where the README runs
 * it, in {@code cli/ReadmeCommandsIT}.
 */
class SparkMlTest {
  private static JavaSparkContext sc;
  private static SparkSession spark;
  @TempDir static Path tmp;

  static Path blobs;

  @BeforeAll
  static void start() throws Exception {
    blobs = blobsFile("train.libsvm", 300, 1);
    sc = TestSupport.localSpark(2);
    spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Path blobsFile(String name, int rows, long seed) throws Exception {
    return TestSupport.blobsLibSvm(tmp.resolve(name), rows, seed);
  }

  /** That the command line trains the same weights from the same file is checked in cli/EntryPointsTest. */
  @Test
  void fitsALibSvmDataFrameAndScoresItWithProbabilities() throws Exception {
    Dataset<Row> data = spark.read().format("libsvm").load(blobs.toString()).coalesce(1);
    LinearImageClassifier estimator = new LinearImageClassifier().setBatchSize(32).setMaxIter(5);
    LinearImageClassificationModel model = estimator.fit(data);
    assertEquals(3, model.numClasses());
    assertEquals(5, model.numFeatures());

    Dataset<Row> scored = model.transform(spark.read().format("libsvm").load(blobsFile("test.libsvm", 90, 2)
        .toString()));
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
    for (Row row : scored.select("rawPrediction", "probability", "prediction").collectAsList()) {
      double[] raw = ((Vector) row.get(0)).toArray();
      double[] p = ((Vector) row.get(1)).toArray();
      assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-9);
      assertEquals(Vectors.dense(raw).argmax(), (int) row.getDouble(2));
    }
  }

  @Test
  void aPipelineModelRoundTripsWithIdenticalPredictions() throws Exception {
    Dataset<Row> data = spark.read().format("libsvm").load(blobsFile("pipe.libsvm", 150, 3).toString());
    LinearImageClassifier estimator = new LinearImageClassifier().setLoss("hinge").setMaxIter(3)
        .setRegParam(0.01).setBatchSize(16);
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {estimator}).fit(data);
    String path = tmp.resolve("pipeline").toString();
    fitted.write().overwrite().save(path);
    PipelineModel back = PipelineModel.load(path);
    List<Row> before = fitted.transform(data).select("rawPrediction", "prediction").collectAsList();
    List<Row> after = back.transform(data).select("rawPrediction", "prediction").collectAsList();
    assertEquals(before, after);
    LinearImageClassificationModel stage = (LinearImageClassificationModel) back.stages()[0];
    assertEquals("hinge", stage.classifier().loss().cliName());

    String estimatorPath = tmp.resolve("estimator").toString();
    estimator.write().overwrite().save(estimatorPath);
    LinearImageClassifier loaded = LinearImageClassifier.load(estimatorPath);
    assertEquals(estimator.uid(), loaded.uid());
    assertEquals("hinge", loaded.getOrDefault(loaded.loss()));
    assertEquals(0.01, (Double) loaded.getOrDefault(loaded.regParam()));
    assertEquals(estimator.trainingConfig(), loaded.trainingConfig());
  }

  @Test
  void aNanInAVectorColumnIsReportedWithItsRow() {
    StructType schema = new StructType().add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create(Vectors.dense(i % 2, i == 13 ? Double.NaN : 1.0), (double) (i % 2)));
    }
    Dataset<Row> data = spark.createDataFrame(rows, schema).coalesce(1);
    Exception e = assertThrows(Exception.class, () -> new LinearImageClassifier().fit(data));
    BadInputException bad = BadInputException.findIn(e);
    assertTrue(bad != null, e.toString());
    assertEquals("row 13: feature 2 is NaN", bad.getMessage());
  }

  @Test
  void defaultsComeFromTheConfigurationFile() {
    LinearImageClassifier estimator = new LinearImageClassifier();
    // the values; the estimator's params make them explicit, except a stepSize of 0 (the rate chosen on the data)
    assertEquals(org.sparklinear.train.TrainingConfig.builder().validationFraction(0).build().toOptions(),
        estimator.trainingConfig().toOptions());
    assertTrue(estimator.explainParams().contains("batchSize"), estimator.explainParams());
    LinearImageClassifier copy = estimator.copy(new org.apache.spark.ml.param.ParamMap()
        .put(estimator.maxIter().w(3)));
    assertEquals(3, copy.trainingConfig().epochs());
    assertEquals(estimator.uid(), copy.uid());
  }

  @Test
  void imageFeaturesFromTheImageDataSourceTrainSaveAndLoad() throws Exception {
    Dataset<Row> images = spark.read().format("image").load(TestSupport.samples().resolve("images") + "/*/*")
        .withColumn("className", org.apache.spark.sql.functions.regexp_extract(
            org.apache.spark.sql.functions.col("image.origin"), "([^/]+)/[^/]+$", 1));
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
        new org.apache.spark.ml.feature.StringIndexer().setInputCol("className").setOutputCol("label"),
        new ImagePixels(),
        new LinearImageClassifier().setFeatures("hog+color-hist").setRandomFeatures(100).setImageSize("32x32")
            .setLoss("hinge").setBatchSize(32)}).fit(images);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(fitted.transform(images));
    assertTrue(accuracy >= 0.9, "accuracy " + accuracy);
    LinearImageClassificationModel model = (LinearImageClassificationModel) fitted.stages()[2];
    assertEquals("hog+color-hist", model.classifier().features().spec());
    assertEquals(100, model.numFeatures());
    String path = tmp.resolve("hog-pipeline").toString();
    fitted.write().overwrite().save(path);
    List<Row> before = fitted.transform(images).select("rawPrediction").collectAsList();
    List<Row> after = PipelineModel.load(path).transform(images).select("rawPrediction").collectAsList();
    assertEquals(before, after);
    // the saved classifier is the command line's model: evaluate reads it like any other
    String cli = tmp.resolve(path).resolve("stages").toFile().list((d, n) -> n.startsWith("2_"))[0];
    assertEquals(model.classifier().weights(), new ModelStore(new Configuration()).read(
        Path.of(path, "stages", cli, "model").toString()).weights());
  }
}
