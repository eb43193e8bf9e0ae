package org.sparklinear.ml;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklinear.BadInputException;
import org.sparklinear.config.OptionCatalog;
import org.sparklinear.data.ImageDecoder;
import org.sparklinear.data.ImageShape;

/**
 * Turns images into the vector this project trains on: the 0..255 pixels as R, G and B planes, as in CIFAR-10. The
 * input column is either
 * <ul>
 *   <li>the {@code image} column of Spark's image data source ({@code spark.read().format("image")}: BGR(A) bytes,
 *       row-major; grey images are repeated over the three planes and alpha is dropped), or
 *   <li>the {@code content} column of Spark's {@code binaryFile} source: encoded PNG, JPEG, BMP or GIF files,
 *       decoded here as the command line decodes image folders ({@link ImageDecoder}), at their own size. Spark's
 *       image source builds a row serializer for every file it reads (about 5 ms a file here against 0.8 ms for
 *       {@code binaryFile} and this decoder), so this is the faster way to read many small images.
 * </ul>
 * All images must have one size; an undecodable or differently sized image fails with its origin (the image's
 * {@code origin}, or the {@code pathCol} of binary input).
 */
public final class ImagePixels extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> pathCol;

  public ImagePixels() {
    this(Identifiable$.MODULE$.randomUID("imagePixels"));
  }

  public ImagePixels(String uid) {
    this(PendingUid.park(uid), true);
  }

  private ImagePixels(String uid, boolean parked) {
    super();
    this.uid = uid;
    PendingUid.clear();
    inputCol = StringParams.of(uid, "inputCol", "column of Spark's image schema, or binary image files");
    outputCol = StringParams.of(uid, "outputCol", "vector column of planar RGB pixel values 0..255");
    pathCol = StringParams.of(uid, "pathCol", "with binary input: the column naming each file in errors");
    setDefault(inputCol, "image");
    setDefault(outputCol, "features");
    setDefault(pathCol, "path");
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.peek();
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> pathCol() {
    return pathCol;
  }

  public ImagePixels setPathCol(String v) {
    return (ImagePixels) set(pathCol, v);
  }

  public ImagePixels setInputCol(String v) {
    return (ImagePixels) set(inputCol, v);
  }

  public ImagePixels setOutputCol(String v) {
    return (ImagePixels) set(outputCol, v);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    if (isBinary(dataset.schema())) {
      long maxPixels = Long.parseLong(OptionCatalog.load().get("max-image-pixels").defaultValue());
      UserDefinedFunction decode = functions.udf((UDF2<byte[], String, Vector>) (encoded, path) ->
          decodedRgb(encoded, path, maxPixels), SQLDataTypes.VectorType());
      return dataset.withColumn($(outputCol), decode.apply(dataset.col($(inputCol)), dataset.col($(pathCol))));
    }
    UserDefinedFunction toPixels = functions.udf((UDF1<Row, Vector>) ImagePixels::planarRgb,
        SQLDataTypes.VectorType());
    return dataset.withColumn($(outputCol), toPixels.apply(dataset.col($(inputCol))));
  }

  private boolean isBinary(StructType schema) {
    return schema.apply($(inputCol)).dataType() instanceof BinaryType;
  }

  static Vector decodedRgb(byte[] encoded, String path, long maxPixels) {
    if (encoded == null) {
      throw new BadInputException(path + ": no file content");
    }
    int[] size = ImageDecoder.readSize(encoded, path, maxPixels);
    byte[] planar = ImageDecoder.decode(encoded, path, new ImageShape(3, size[1], size[0]), maxPixels);
    double[] out = new double[planar.length];
    for (int i = 0; i < planar.length; i++) {
      out[i] = planar[i] & 0xff;
    }
    return Vectors.dense(out);
  }

  static Vector planarRgb(Row image) {
    String origin = image.getString(image.fieldIndex("origin"));
    int height = image.getInt(image.fieldIndex("height"));
    int width = image.getInt(image.fieldIndex("width"));
    int channels = image.getInt(image.fieldIndex("nChannels"));
    byte[] data = (byte[]) image.get(image.fieldIndex("data"));
    if (height < 1 || width < 1 || data == null || (channels != 1 && channels != 3 && channels != 4)
        || data.length != (long) height * width * channels) {
      throw new BadInputException(origin + ": not a decodable image (" + width + "x" + height + ", " + channels
          + " channels, " + (data == null ? 0 : data.length) + " bytes)");
    }
    int plane = height * width;
    double[] out = new double[3 * plane];
    for (int p = 0; p < plane; p++) {
      int at = p * channels;
      if (channels == 1) {
        double grey = data[at] & 0xff;
        out[p] = grey;
        out[plane + p] = grey;
        out[2 * plane + p] = grey;
      } else { // OpenCV order: B, G, R(, A)
        out[p] = data[at + 2] & 0xff;
        out[plane + p] = data[at + 1] & 0xff;
        out[2 * plane + p] = data[at] & 0xff;
      }
    }
    return Vectors.dense(out);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    StructField input = schema.apply($(inputCol));
    if (isBinary(schema)) {
      if (!(schema.apply($(pathCol)).dataType() instanceof StringType)) {
        throw new IllegalArgumentException("path column '" + $(pathCol) + "' is not a string");
      }
    } else if (!input.dataType().simpleString().equals(ImageSchema.columnSchema().simpleString())) {
      // compared without nullability, which the data source and ImageSchema declare differently
      throw new IllegalArgumentException("column '" + $(inputCol) + "' is " + input.dataType().simpleString()
          + ", neither Spark's image schema (spark.read().format(\"image\")) nor binary image files"
          + " (format(\"binaryFile\"))");
    }
    if (java.util.Arrays.asList(schema.fieldNames()).contains($(outputCol))) {
      throw new IllegalArgumentException("output column '" + $(outputCol) + "' already exists");
    }
    return schema.add($(outputCol), SQLDataTypes.VectorType(), false);
  }

  @Override
  public ImagePixels copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<ImagePixels> read() {
    return new DefaultParamsReader<>();
  }

  public static ImagePixels load(String path) {
    return read().load(path);
  }
}
