package org.sparklinear.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklinear.ml.ImagePixels;
import org.sparklinear.ml.LinearImageClassifier;

/**
 * A spark.ml pipeline on a folder of class folders of images, read with Spark's {@code binaryFile} data source and
 * decoded once into cached pixel vectors: index the class names, cross-validate the learning rate and regularisation of a softmax
 * classifier, save the best pipeline, load it back and score held-out images.
 *
 * <pre>
 *   SLC_MAIN_CLASS=org.sparklinear.examples.PipelineExample submit/local.sh data-samples/images target/pipeline-model
 * </pre>
 * Prints the held-out accuracy as the last line of stdout.
 */
public final class PipelineExample {
  private PipelineExample() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: PipelineExample IMAGE_FOLDERS MODEL_OUT");
      System.exit(2);
    }
    SparkSession.Builder builder = SparkSession.builder().appName("pipeline example");
    if (!new org.apache.spark.SparkConf().contains("spark.master")) { // not under spark-submit
      builder.master("local[*]").config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false");
    }
    if (overlaps(args[0], args[1])) {
      // spark.ml's overwrite() deletes its target first: it must never be, hold or lie inside the images
      System.err.println("PipelineExample: MODEL_OUT " + args[1] + " overlaps IMAGE_FOLDERS " + args[0]
          + "; choose another folder");
      System.exit(2);
    }
    SparkSession spark = builder.getOrCreate();
    try {
      System.out.println(run(spark, args[0], args[1]));
    } finally {
      spark.stop();
    }
  }

  /** Trains, saves and reloads the pipeline; returns the reloaded model's accuracy on a held-out fifth. */
  public static double run(SparkSession spark, String imageFolders, String modelOut) {
    // Spark's binaryFile source with ImagePixels decoding is several times faster than format("image"), which builds
    // a row serializer per file. One root path and a recursive listing: a glob over every file makes Spark list them
    // in a job of its own, one task per file.
    Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", true).load(imageFolders)
        .filter(col("path").rlike("(?i)\\.(png|jpe?g|bmp|gif)$"))
        .withColumn("className", regexp_extract(col("path"), "([^/]+)/[^/]+$", 1));
    Dataset<Row> images = new ImagePixels().setInputCol("content").setOutputCol("features").transform(files)
        .select("path", "className", "features")
        // the source makes a partition per few files: every job of every fold would run that many tiny tasks
        .coalesce(spark.sparkContext().defaultParallelism())
        .cache(); // the indexer, every fold and every setting read the pixels again: decode them once
    Dataset<Row>[] split = images.randomSplit(new double[] {0.8, 0.2}, 7);

    StringIndexerModel labels = new StringIndexer().setInputCol("className").setOutputCol("label").fit(images);
    LinearImageClassifier classifier = new LinearImageClassifier().setLoss("softmax").setMaxIter(10)
        .setBatchSize(64);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        labels,
        classifier,
        new IndexToString().setInputCol("prediction").setOutputCol("predictedClass").setLabels(labels.labelsArray()[0])
    });
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(classifier.stepSize(), new double[] {0.01, 0.1})
        .addGrid(classifier.regParam(), new double[] {1e-4, 1e-2})
        .build();
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(accuracy).setNumFolds(2).setSeed(7);

    CrossValidatorModel fitted = cv.fit(split[0]);
    try {
      fitted.write().overwrite().save(modelOut);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CrossValidatorModel reloaded = CrossValidatorModel.load(modelOut);
    return accuracy.evaluate(reloaded.transform(split[1]));
  }

  /** Whether one path is the other or lies inside it, after making both absolute. */
  static boolean overlaps(String a, String b) {
    String x = java.nio.file.Path.of(a).toAbsolutePath().normalize() + "/";
    String y = java.nio.file.Path.of(b).toAbsolutePath().normalize() + "/";
    return x.startsWith(y) || y.startsWith(x);
  }
}
