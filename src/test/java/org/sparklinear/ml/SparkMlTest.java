package org.sparklinear.ml;

import static org.apache.spark.ml.linalg.SQLDataTypes.VectorType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.MlCommand;
import org.apache.spark.connect.proto.MlCommandResult;
import org.apache.spark.connect.proto.MlOperator;
import org.apache.spark.connect.proto.MlParams;
import org.apache.spark.connect.proto.MlRelation;
import org.apache.spark.connect.proto.ObjectRef;
import org.apache.spark.connect.proto.Read;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.WriteOperation;
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
import org.apache.spark.sql.connect.service.SparkConnectService$;
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
    // a Spark Connect server may start on this context (sparkConnectRunsTheEstimatorAsPySparkMlAsksIt)
    sc = new JavaSparkContext(TestSupport.localSparkConf(2).set("spark.connect.grpc.binding.address", "127.0.0.1")
        .set("spark.connect.grpc.binding.port", "0"));
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

  /** Binary files decoded by ImagePixels give the image source's vectors; a file that is no image is named. */
  @Test
  void binaryFilesDecodeToTheImageSourcesPixels() throws Exception {
    String folder = TestSupport.samples().resolve("images").resolve("circle").toString();
    Dataset<Row> fromImages = new ImagePixels().transform(spark.read().format("image").load(folder))
        .select(org.apache.spark.sql.functions.col("image.origin").as("path"), org.apache.spark.sql.functions.col(
            "features"));
    Dataset<Row> fromFiles = new ImagePixels().setInputCol("content").transform(spark.read().format("binaryFile")
        .load(folder)).select("path", "features");
    java.util.Map<String, Object> expected = new java.util.HashMap<>();
    // the two sources spell file URIs differently (file:/// and file:/)
    fromImages.collectAsList().forEach(r -> expected.put(java.net.URI.create(r.getString(0)).getPath(), r.get(1)));
    List<Row> decoded = fromFiles.collectAsList();
    assertTrue(decoded.size() >= 50, decoded.size() + " files");
    for (Row r : decoded) {
      String file = java.net.URI.create(r.getString(0)).getPath();
      assertTrue(expected.containsKey(file) && expected.get(file).equals(r.get(1)), file + " differs");
    }
    Path notAnImage = Files.writeString(tmp.resolve("not-an-image.png"), "hello");
    Exception e = assertThrows(Exception.class, () -> new ImagePixels().setInputCol("content").transform(
        spark.read().format("binaryFile").load(notAnImage.toString())).collect());
    BadInputException bad = BadInputException.findIn(e);
    assertTrue(bad != null && bad.getMessage().contains("not-an-image.png"), e.toString());
  }

  @Test
  void imageFeaturesFromBinaryFilesTrainSaveAndLoad() throws Exception {
    Dataset<Row> images = spark.read().format("binaryFile").option("recursiveFileLookup", true)
        .load(TestSupport.samples().resolve("images").toString())
        .withColumn("className", org.apache.spark.sql.functions.regexp_extract(
            org.apache.spark.sql.functions.col("path"), "([^/]+)/[^/]+$", 1)).coalesce(2).cache();
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
        new org.apache.spark.ml.feature.StringIndexer().setInputCol("className").setOutputCol("label"),
        new ImagePixels().setInputCol("content"),
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

  /**
   * A real Spark Connect server (Spark 4.2's, on this context, on 127.0.0.1) asked what {@code pyspark.ml} asks it,
   * with the messages its client sends: fit the estimator by class name with Python-typed params (ints as longs),
   * call allowed model attributes, transform through the server's cached model, save the model, load it by name.
   * The registration and signatures it relies on are checked one by one in {@code SparkConnectContractTest}.
   */
  @Test
  void sparkConnectRunsTheEstimatorAsPySparkMlAsksIt() throws Exception {
    Path data = blobsFile("connect.libsvm", 90, 11);
    Relation train = Relation.newBuilder().setRead(Read.newBuilder().setDataSource(Read.DataSource.newBuilder()
        .setFormat("libsvm").addPaths(data.toString()))).build();
    Path scored = tmp.resolve("connect-scored");
    Path saved = tmp.resolve("connect-model");
    SparkConnectService$.MODULE$.start(sc.sc());
    try (ConnectClient client = new ConnectClient(SparkConnectService$.MODULE$.localPort())) {
      MlCommandResult fitted = client.ml(MlCommand.newBuilder().setFit(MlCommand.Fit.newBuilder()
          .setEstimator(MlOperator.newBuilder().setName(LinearImageClassifier.class.getName())
              .setUid("LinearImageClassifier_python1").setType(MlOperator.OperatorType.OPERATOR_TYPE_ESTIMATOR))
          .setParams(MlParams.newBuilder().putParams("loss", ConnectClient.text("hinge"))
              .putParams("maxIter", ConnectClient.integer(2)).putParams("batchSize", ConnectClient.integer(32))
              .putParams("regParam", ConnectClient.real(0.001)))
          .setDataset(train)));
      ObjectRef model = fitted.getOperatorInfo().getObjRef();
      assertEquals(3, client.call(model, "numClasses").getInteger());
      assertEquals(5, client.call(model, "numFeatures").getInteger());

      client.execute(Command.newBuilder().setWriteOperation(WriteOperation.newBuilder().setSource("json")
          .setPath(scored.toString()).setMode(WriteOperation.SaveMode.SAVE_MODE_OVERWRITE)
          .setInput(Relation.newBuilder().setMlRelation(MlRelation.newBuilder().setTransform(
              MlRelation.Transform.newBuilder().setObjRef(model).setInput(train))))));
      client.ml(MlCommand.newBuilder().setWrite(MlCommand.Write.newBuilder().setObjRef(model)
          .setPath(saved.toString()).setShouldOverwrite(true)));
      MlCommandResult loaded = client.ml(MlCommand.newBuilder().setRead(MlCommand.Read.newBuilder()
          .setOperator(MlOperator.newBuilder().setName(LinearImageClassificationModel.class.getName())
              .setType(MlOperator.OperatorType.OPERATOR_TYPE_MODEL)).setPath(saved.toString())));
      assertEquals(3, client.call(loaded.getOperatorInfo().getObjRef(), "numClasses").getInteger());
    } finally {
      SparkConnectService$.MODULE$.stop(scala.Option.empty(), scala.Option.empty());
    }

    LinearImageClassificationModel back = LinearImageClassificationModel.load(saved.toString());
    assertEquals("hinge", back.classifier().loss().cliName(), "the string param reached the estimator");
    assertEquals(2, back.classifier().metadata().metrics().epochs(), "maxIter, sent as a long, became 2 epochs");
    assertEquals("LinearImageClassifier_python1", back.uid(), "the model keeps the client's estimator uid");
    // every row the server scored is what the saved model scores (Spark's JSON writer: vectors as structs)
    List<Row> rows = spark.read().schema(new StructType().add("features", VectorType()).add("rawPrediction",
        VectorType()).add("prediction", DataTypes.DoubleType)).json(scored.toString()).collectAsList();
    assertEquals(90, rows.size());
    for (Row row : rows) {
      Vector raw = back.predictRaw((Vector) row.get(0));
      assertEquals(raw.argmax(), row.getDouble(2), 0.0, row.toString());
      assertTrue(Vectors.sqdist(raw, (Vector) row.get(1)) < 1e-18, row + " against " + raw);
    }
  }

  /**
   * Connect's model cache moves models out of memory to the server's local disk and back ({@code saveToLocal},
   * {@code loadFromLocal}): local paths whatever the default file system, here one that cannot be reached.
   */
  @Test
  void aModelGoesToLocalDiskAndBackWhateverTheDefaultFileSystem() throws Exception {
    LinearImageClassificationModel model = LinearImageClassificationModel.fromModelDirectory(TestSupport.projectDir()
        .resolve("src/test/resources/fixtures/model-v1/pixels-softmax").toString(), sc.hadoopConfiguration());
    String dir = tmp.resolve("offloaded").toString();
    Configuration hadoop = sc.hadoopConfiguration();
    String defaultFs = hadoop.get("fs.defaultFS");
    hadoop.set("fs.defaultFS", "unreachable:///");
    LinearImageClassificationModel back;
    try {
      model.write().saveToLocal(dir);
      back = LinearImageClassificationModel.read().loadFromLocal(dir);
    } finally {
      hadoop.set("fs.defaultFS", defaultFs);
    }
    assertEquals(model.uid(), back.uid());
    double[] image = new double[32 * 32 * 3];
    java.util.Arrays.setAll(image, i -> i * 7 % 256);
    assertEquals(model.predictRaw(Vectors.dense(image)), back.predictRaw(Vectors.dense(image)));
  }
}
