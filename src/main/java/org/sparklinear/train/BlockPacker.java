package org.sparklinear.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.preprocess.Preprocessor;

/** Packs each partition's images, preprocessed, into one {@link FeatureBlock}. */
public final class BlockPacker {
  private BlockPacker() {}

  public static JavaRDD<FeatureBlock> pack(JavaRDD<LabeledImage> images, Preprocessor preprocessor) {
    int features = preprocessor.features();
    // a broadcast, not a captured value: every later job over the cached blocks ships this closure with its tasks,
    // and the statistics (a mean image and more) would add tens of KB to each
    Broadcast<Preprocessor> shared = JavaSparkContext.fromSparkContext(images.context()).broadcast(preprocessor);
    return images.mapPartitionsWithIndex((partition, rows) -> List.of(packPartition(partition, rows, shared.value(),
        features)).iterator(), true);
  }

  public static FeatureBlock packPartition(int partition, Iterator<LabeledImage> rows, Preprocessor preprocessor,
      int features) {
    // Grow in chunks rather than one big array doubling: peak memory stays near the final block's size.
    int chunkRows = Math.max(1, (1 << 22) / Math.max(1, features));
    List<float[]> chunks = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    float[] current = null;
    int inCurrent = chunkRows;
    while (rows.hasNext()) {
      LabeledImage image = rows.next();
      if (inCurrent == chunkRows) {
        current = new float[chunkRows * features];
        chunks.add(current);
        inCurrent = 0;
      }
      preprocessor.apply(image, current, inCurrent * features);
      labels.add(image.label());
      inCurrent++;
    }
    int n = labels.size();
    float[] values = new float[n * features];
    for (int c = 0; c < chunks.size(); c++) {
      int rowsHere = Math.min(chunkRows, n - c * chunkRows);
      System.arraycopy(chunks.get(c), 0, values, c * chunkRows * features, rowsHere * features);
      chunks.set(c, null);
    }
    int[] labelArray = new int[n];
    for (int i = 0; i < n; i++) {
      labelArray[i] = labels.get(i);
    }
    return new FeatureBlock(partition, n, features, values, labelArray);
  }
}
