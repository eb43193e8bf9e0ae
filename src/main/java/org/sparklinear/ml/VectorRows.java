package org.sparklinear.ml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.Attribute$;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparklinear.BadInputException;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ImageShape;
import org.sparklinear.data.LabeledImage;

/**
 * A DataFrame's vector and label columns as the trainer's examples. Rows are named {@code row N} (their position,
 * stable for a given input), which places them in the validation split and in error messages.
 */
final class VectorRows {
  private VectorRows() {}

  /**
   * @param image the images' shape when the vectors are planar 0..255 pixels (as {@link ImagePixels} gives them),
   *     which turns each row into an image for image features; null when the vectors are not images
   */
  static ImageDataset dataset(Dataset<?> dataset, String featuresCol, String labelCol, int classes,
      ImageShape image) {
    JavaRDD<Row> selected = dataset.select(featuresCol, labelCol).toJavaRDD();
    // One job finds each partition's row count, which gives the rows' positions (as zipWithIndex would, in a job of
    // its own), and the width of its first vector: a job costs tens of ms, and cross-validation fits many times.
    List<long[]> partitions = selected.mapPartitions(VectorRows::countAndWidth).collect();
    long[] offsets = new long[partitions.size()];
    long rowsBefore = 0;
    long firstWidth = NO_ROWS;
    for (int p = 0; p < partitions.size(); p++) {
      offsets[p] = rowsBefore;
      rowsBefore += partitions.get(p)[0];
      if (firstWidth == NO_ROWS) {
        firstWidth = partitions.get(p)[1];
      }
    }
    if (firstWidth == NO_ROWS) {
      throw new BadInputException("the training DataFrame has no rows");
    }
    if (firstWidth == NOT_A_VECTOR) {
      throw new BadInputException("row 0: column '" + featuresCol + "' holds no vector");
    }
    int width = (int) firstWidth;
    if (image != null && image.features() != width) {
      throw new BadInputException("row 0: '" + featuresCol + "' has " + width + " values, but imageSize " + image
          + " images have " + image.features());
    }
    JavaRDD<LabeledImage> rows = selected.mapPartitionsWithIndex((p, part) -> {
      long[] index = {offsets[p]};
      return new Iterator<LabeledImage>() {
        @Override
        public boolean hasNext() {
          return part.hasNext();
        }

        @Override
        public LabeledImage next() {
          LabeledImage row = example(part.next(), index[0]++, width, classes, featuresCol, labelCol);
          return image == null ? row : asImage(row);
        }
      };
    }, false);
    List<String> names = classNames(dataset, labelCol, classes);
    String description = "DataFrame column '" + featuresCol + "' (" + width + " features), labels '" + labelCol + "'";
    return new ImageDataset(rows, names, image == null ? new ImageShape(1, 1, width) : image, -1,
        dataset.sparkSession().sparkContext().longAccumulator("skippedBadImages"), description);
  }

  private static final long NO_ROWS = -1;
  private static final long NOT_A_VECTOR = -2;

  /** A partition's {rows, width of its first features vector}: {0, NO_ROWS} when empty. */
  private static Iterator<long[]> countAndWidth(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return List.of(new long[] {0, NO_ROWS}).iterator();
    }
    Object features = rows.next().get(0);
    long count = 1;
    while (rows.hasNext()) {
      rows.next();
      count++;
    }
    return List.<long[]>of(new long[] {count, features instanceof Vector v ? v.size() : NOT_A_VECTOR}).iterator();
  }

  private static LabeledImage example(Row row, long index, int width, int classes, String featuresCol,
      String labelCol) {
    String where = "row " + index;
    if (row.isNullAt(0) || row.isNullAt(1)) {
      throw new BadInputException(where + ": '" + (row.isNullAt(0) ? featuresCol : labelCol) + "' is null");
    }
    Vector v = (Vector) row.get(0);
    if (v.size() != width) {
      throw new BadInputException(where + ": '" + featuresCol + "' has " + v.size() + " values, row 0 has " + width);
    }
    double label = row.getDouble(1);
    if (label != Math.rint(label) || label < 0 || label >= classes) {
      throw new BadInputException(where + ": label " + label + " is not a class index in 0.." + (classes - 1));
    }
    return LabeledImage.ofFeatures(where, (int) label, toFloats(v)).requireFinite();
  }

  /** A pixel vector (0..255 integers) as the image it is; anything else is bad input naming the row. */
  static LabeledImage asImage(LabeledImage row) {
    float[] values = row.values();
    byte[] pixels = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (!(v >= 0 && v <= 255) || v != Math.rint(v)) {
        throw new BadInputException(row.source() + ": value " + v + " at " + (i + 1) + " is not a pixel (an integer"
            + " 0..255), but imageSize says the vectors are images");
      }
      pixels[i] = (byte) (int) v;
    }
    return new LabeledImage(row.source(), row.label(), pixels);
  }

  static float[] toFloats(Vector v) {
    float[] values = new float[v.size()];
    v.foreachActive((i, x) -> {
      values[(Integer) i] = (float) (double) (Double) x;
      return scala.runtime.BoxedUnit.UNIT;
    });
    return values;
  }

  /** A StringIndexer's names for the label indices when the column carries them, else "0", "1", ... */
  private static List<String> classNames(Dataset<?> dataset, String labelCol, int classes) {
    Attribute attribute = Attribute$.MODULE$.fromStructField(dataset.schema().apply(labelCol));
    List<String> names = new ArrayList<>();
    if (attribute instanceof NominalAttribute nominal && nominal.values().isDefined()
        && nominal.values().get().length == classes) {
      names.addAll(List.of(nominal.values().get()));
    } else {
      for (int i = 0; i < classes; i++) {
        names.add(Integer.toString(i));
      }
    }
    return names;
  }
}
