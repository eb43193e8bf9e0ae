package org.sparklinear.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.GradientDescent;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SquaredL2Updater;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.linalg.FeatureBlock;
import scala.Tuple2;

/** Spark MLlib's answers to the same problem, on the same preprocessed rows. */
final class MllibBaselines {
  private static final Logger LOG = LoggerFactory.getLogger(MllibBaselines.class);

  private MllibBaselines() {}

  /** The blocks' rows as a DataFrame of (label, features) for spark.ml. */
  static Dataset<Row> dataFrame(SparkSession spark, JavaRDD<FeatureBlock> blocks) {
    JavaRDD<Row> rows = blocks.flatMap(b -> {
      List<Row> out = new ArrayList<>(b.rows());
      for (int r = 0; r < b.rows(); r++) {
        out.add(RowFactory.create((double) b.label(r), org.apache.spark.ml.linalg.Vectors.dense(b.row(r))));
      }
      return out.iterator();
    });
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField("label", DataTypes.DoubleType, false),
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)});
    return spark.createDataFrame(rows, schema);
  }

  /**
   * {@code LogisticRegression} (multinomial, L-BFGS): fits with growing {@code maxIter} until validation accuracy
   * reaches the target, then refits at that {@code maxIter} to take a median time.
   */
  static Map<String, Object> logisticRegression(SparkSession spark, JavaRDD<FeatureBlock> train,
      JavaRDD<FeatureBlock> validation, double target, int maxIterCap, int bestIter, int repeats) {
    Dataset<Row> trainDf = dataFrame(spark, train).persist(StorageLevel.MEMORY_ONLY());
    Dataset<Row> valDf = dataFrame(spark, validation).persist(StorageLevel.MEMORY_ONLY());
    long rows = trainDf.count();
    valDf.count();
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    Map<String, Object> result = new LinkedHashMap<>();
    List<Map<String, Object>> fits = new ArrayList<>();
    int reachedAt = -1;
    double best = 0;
    try {
      fit(trainDf, valDf, accuracy, 1); // warm-up: JIT and Spark SQL code generation, not counted
      // coarse search upwards, then bisect between the last miss and the first hit for the smallest maxIter
      int miss = 0;
      for (int iter = 5; iter <= maxIterCap; iter += iter < 30 ? 5 : 10) {
        double acc = logFit(trainDf, valDf, accuracy, iter, fits);
        best = Math.max(best, acc);
        if (acc >= target) {
          reachedAt = iter;
          break;
        }
        miss = iter;
      }
      while (reachedAt > 0 && reachedAt - miss > 1) {
        int mid = (miss + reachedAt) / 2;
        double acc = logFit(trainDf, valDf, accuracy, mid, fits);
        best = Math.max(best, acc);
        if (acc >= target) {
          reachedAt = mid;
        } else {
          miss = mid;
        }
      }
      if (reachedAt > 0) {
        List<Double> times = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
          times.add(fit(trainDf, valDf, accuracy, reachedAt)[0]);
        }
        result.put("secondsToTarget", Stats.median(times));
        result.put("secondsToTargetRuns", times);
      } else {
        result.put("secondsToTarget", Double.NaN);
      }
      if (bestIter > reachedAt) {
        best = Math.max(best, logFit(trainDf, valDf, accuracy, bestIter, fits));
      }
      result.put("maxIterToTarget", reachedAt);
      result.put("bestAccuracy", best);
      result.put("trainingRows", rows);
      result.put("fits", fits);
    } finally {
      trainDf.unpersist();
      valDf.unpersist();
    }
    return result;
  }

  private static double logFit(Dataset<Row> train, Dataset<Row> val, MulticlassClassificationEvaluator evaluator,
      int maxIter, List<Map<String, Object>> fits) {
    double[] fit = fit(train, val, evaluator, maxIter);
    fits.add(Map.of("maxIter", maxIter, "seconds", Stats.round(fit[0], 3), "validationAccuracy", fit[1]));
    LOG.info(String.format("MLlib LogisticRegression maxIter %d: %.2f s, validation accuracy %.4f", maxIter, fit[0],
        fit[1]));
    return fit[1];
  }

  private static double[] fit(Dataset<Row> train, Dataset<Row> val, MulticlassClassificationEvaluator evaluator,
      int maxIter) {
    LogisticRegression lr = new LogisticRegression().setFamily("multinomial").setMaxIter(maxIter).setTol(0)
        .setRegParam(0);
    long started = System.nanoTime();
    LogisticRegressionModel model = lr.fit(train);
    double seconds = (System.nanoTime() - started) / 1e9;
    return new double[] {seconds, evaluator.evaluate(model.transform(val))};
  }

  /**
   * The RDD-era {@code GradientDescent.runMiniBatchSGD} with {@code LogisticGradient(K)}: time per step at the same
   * batch size, and validation accuracy after {@code steps} steps.
   */
  static Map<String, Object> miniBatchSgd(JavaRDD<FeatureBlock> train, JavaRDD<FeatureBlock> validation,
      int classes, int batchSize, int steps, double stepSize) {
    JavaRDD<Tuple2<Object, Vector>> data = train.flatMap(b -> {
      List<Tuple2<Object, Vector>> out = new ArrayList<>(b.rows());
      for (int r = 0; r < b.rows(); r++) {
        out.add(new Tuple2<>((double) b.label(r), Vectors.dense(withIntercept(b.row(r)))));
      }
      return out.iterator();
    }).persist(StorageLevel.MEMORY_ONLY());
    try {
      long rows = data.count();
      int features = train.first().features() + 1;
      double fraction = Math.min(1.0, (double) batchSize / rows);
      Vector initial = Vectors.zeros((classes - 1) * features);
      long started = System.nanoTime();
      Tuple2<Vector, double[]> out = GradientDescent.runMiniBatchSGD(data.rdd(), new LogisticGradient(classes),
          new SquaredL2Updater(), stepSize, steps, 0.0, fraction, initial, 0.0);
      double seconds = (System.nanoTime() - started) / 1e9;
      double[] w = out._1().toArray();
      double acc = accuracy(validation.collect(), w, classes, features);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("steps", steps);
      result.put("miniBatchFraction", fraction);
      result.put("stepSize", stepSize);
      result.put("seconds", Stats.round(seconds, 3));
      result.put("stepMillis", Stats.round(seconds * 1000 / steps, 2));
      result.put("validationAccuracy", acc);
      LOG.info(String.format("MLlib runMiniBatchSGD: %d steps in %.1f s (%.1f ms/step), validation accuracy %.4f",
          steps, seconds, seconds * 1000 / steps, acc));
      return result;
    } finally {
      data.unpersist();
    }
  }

  private static double[] withIntercept(double[] row) {
    double[] x = java.util.Arrays.copyOf(row, row.length + 1);
    x[row.length] = 1.0;
    return x;
  }

  /** LogisticGradient's multinomial model: class 0 is the pivot with margin 0, the others have a weight row each. */
  private static double accuracy(List<FeatureBlock> blocks, double[] w, int classes, int features) {
    long right = 0;
    long total = 0;
    for (FeatureBlock b : blocks) {
      for (int r = 0; r < b.rows(); r++) {
        double[] x = withIntercept(b.row(r));
        int best = 0;
        double bestMargin = 0;
        for (int k = 1; k < classes; k++) {
          double m = 0;
          for (int f = 0; f < features; f++) {
            m += w[(k - 1) * features + f] * x[f];
          }
          if (m > bestMargin) {
            bestMargin = m;
            best = k;
          }
        }
        right += best == b.label(r) ? 1 : 0;
        total++;
      }
    }
    return total == 0 ? Double.NaN : (double) right / total;
  }
}
