package org.sparklinear.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparklinear.BadInputException;
import org.sparklinear.data.ImageShape;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.io.HadoopFiles;
import org.sparklinear.io.OutputGuard;
import org.sparklinear.io.OutputKind;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.preprocess.Scaling;

/**
 * The one reader and writer of the model directory, on any Hadoop file system:
 * <ul>
 *   <li>{@code metadata.json}: format version, classes, image shape, loss, preprocessing, the training
 *       configuration, metrics and provenance, readable by people and tools;</li>
 *   <li>{@code weights.bin}: a header, {@code W} and {@code b} as doubles, the preprocessing mean and scale as
 *       floats, then a CRC-32 of everything before it (big-endian throughout).</li>
 * </ul>
 * A model is written into a hidden sibling folder and renamed into place once complete, so a crash never leaves a
 * half-written model under the final name.
 */
public final class ModelStore {
  public static final int FORMAT_VERSION = 1;
  public static final String METADATA_FILE = "metadata.json";
  public static final String WEIGHTS_FILE = "weights.bin";
  private static final long MAGIC = 0x534C434D4F44454CL; // "SLCMODEL"
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Configuration conf;

  public ModelStore(Configuration conf) {
    this.conf = conf;
  }

  private FileSystem fileSystem(Path p) throws IOException {
    return HadoopFiles.fileSystem(p, conf);
  }

  /**
   * Fails before any work is done when {@code dir} exists and may not be replaced: only an empty directory or a model
   * directory, and that only with {@code overwrite}.
   */
  public void checkWritable(String dir, boolean overwrite) {
    try {
      Path p = new Path(dir);
      OutputGuard.checkReplaceable(fileSystem(p), p, OutputKind.MODEL, overwrite, dir);
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot check the model directory: " + e.getMessage(), e);
    }
  }

  /** Writes the model into a hidden sibling and moves it into place whole, replacing an earlier model last. */
  public void write(LinearClassifier model, String dir, boolean overwrite) throws IOException {
    Path target = new Path(dir);
    FileSystem fs = fileSystem(target);
    checkWritable(dir, overwrite);
    OutputGuard.writeReplacing(fs, target, OutputKind.MODEL, overwrite, dir, staging -> {
      fs.mkdirs(staging);
      long crc;
      try (OutputStream out = fs.create(new Path(staging, WEIGHTS_FILE), false)) {
        crc = writeWeights(model, out);
      }
      try (OutputStream out = fs.create(new Path(staging, METADATA_FILE), false)) {
        JSON.writeValue(out, metadata(model, crc));
      }
    });
  }

  public LinearClassifier read(String dir) {
    Path root = new Path(dir);
    try {
      FileSystem fs = fileSystem(root);
      Path metaPath = new Path(root, METADATA_FILE);
      if (!fs.exists(metaPath)) {
        throw new BadInputException(dir + ": not a model directory (no " + METADATA_FILE + ")");
      }
      Map<String, Object> meta;
      try (InputStream in = fs.open(metaPath)) {
        meta = JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (IOException e) {
        throw new BadInputException(metaPath + ": not valid JSON: " + e.getMessage(), e);
      }
      return fromMetadata(meta, root, fs);
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot read model: " + e.getMessage(), e);
    }
  }

  private LinearClassifier fromMetadata(Map<String, Object> meta, Path root, FileSystem fs) throws IOException {
    String where = new Path(root, METADATA_FILE).toString();
    int version = intField(meta, "formatVersion", where);
    if (version != FORMAT_VERSION) {
      throw new BadInputException(where + ": model format version " + version + " is not supported (this build reads "
          + FORMAT_VERSION + ")");
    }
    List<String> classNames = stringList(meta.get("classNames"), "classNames", where);
    Map<?, ?> shapeMap = map(meta.get("imageShape"), "imageShape", where);
    ImageShape shape;
    LossKind loss;
    Scaling scaling;
    try {
      shape = new ImageShape(intField(shapeMap, "channels", where), intField(shapeMap, "height", where),
          intField(shapeMap, "width", where));
      loss = LossKind.fromName(String.valueOf(meta.get("loss")));
      scaling = Scaling.fromName(String.valueOf(map(meta.get("preprocessing"), "preprocessing", where).get("scaling")));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(where + ": " + e.getMessage(), e);
    }
    double delta = meta.get("hingeDelta") instanceof Number n ? n.doubleValue() : 1.0;
    FeatureTransform transform = features(meta.get("features"), where);
    int size = transform.outputSize(shape);

    Path weightsPath = new Path(root, WEIGHTS_FILE);
    if (!fs.exists(weightsPath)) {
      throw new BadInputException(root + ": model directory has no " + WEIGHTS_FILE);
    }
    long expectedBytes = 8 + 4 + 4 + 4 + 8L * LinearWeights.parameterCount(classNames.size(), size) + 8L * size + 8;
    long actualBytes = fs.getFileStatus(weightsPath).getLen();
    if (actualBytes != expectedBytes) {
      throw new BadInputException(weightsPath + ": " + actualBytes + " bytes, but " + classNames.size() + " classes of "
          + shape + " images need " + expectedBytes);
    }
    try (InputStream raw = new BufferedInputStream(fs.open(weightsPath))) {
      CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
      DataInputStream in = new DataInputStream(checked);
      if (in.readLong() != MAGIC) {
        throw new BadInputException(weightsPath + ": not a weights file of this project (bad magic number)");
      }
      int fileVersion = in.readInt();
      int classes = in.readInt();
      int features = in.readInt();
      if (fileVersion != FORMAT_VERSION || classes != classNames.size() || features != size) {
        throw new BadInputException(weightsPath + ": header says version " + fileVersion + ", " + classes
            + " classes, " + features + " features; metadata says version " + FORMAT_VERSION + ", "
            + classNames.size() + " classes, " + size + " features");
      }
      double[] params = new double[LinearWeights.parameterCount(classes, features)];
      for (int i = 0; i < params.length; i++) {
        params[i] = in.readDouble();
      }
      float[] mean = new float[features];
      float[] scale = new float[features];
      for (int i = 0; i < features; i++) {
        mean[i] = in.readFloat();
      }
      for (int i = 0; i < features; i++) {
        scale[i] = in.readFloat();
      }
      long computed = checked.getChecksum().getValue();
      long stored = new DataInputStream(raw).readLong();
      if (computed != stored) {
        throw new BadInputException(weightsPath + ": checksum mismatch (stored " + Long.toHexString(stored)
            + ", computed " + Long.toHexString(computed) + "): the file is corrupt");
      }
      Preprocessor preprocessor;
      try {
        preprocessor = new Preprocessor(scaling, mean, scale);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(weightsPath + ": " + e.getMessage(), e);
      }
      return new LinearClassifier(classNames, shape, transform, preprocessor, loss, delta,
          new LinearWeights(classes, features, params), typedMetadata(meta, where));
    } catch (EOFException e) {
      throw new BadInputException(weightsPath + ": file is truncated", e);
    } catch (ChecksumException e) {
      // the Hadoop file system's own checksum (a .crc file or HDFS block checksum) caught it before ours did
      throw new BadInputException(weightsPath + ": checksum mismatch: the file is corrupt (" + e.getMessage() + ")", e);
    }
  }

  private static long writeWeights(LinearClassifier model, OutputStream target) throws IOException {
    BufferedOutputStream buffered = new BufferedOutputStream(target, 1 << 16);
    CheckedOutputStream checked = new CheckedOutputStream(buffered, new CRC32());
    DataOutputStream out = new DataOutputStream(checked);
    LinearWeights w = model.weights();
    out.writeLong(MAGIC);
    out.writeInt(FORMAT_VERSION);
    out.writeInt(w.classes());
    out.writeInt(w.features());
    for (double v : w.parameters()) {
      out.writeDouble(v);
    }
    for (float v : model.preprocessor().mean()) {
      out.writeFloat(v);
    }
    for (float v : model.preprocessor().scale()) {
      out.writeFloat(v);
    }
    out.flush();
    long crc = checked.getChecksum().getValue();
    new DataOutputStream(buffered).writeLong(crc);
    buffered.flush();
    return crc;
  }

  /** The description of how the model was made; fields an older writer did not know are empty. */
  private static ModelMetadata typedMetadata(Map<String, Object> meta, String where) {
    try {
      return JSON.convertValue(meta, ModelMetadata.class);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(where + ": " + e.getMessage().lines().findFirst().orElse("malformed metadata"), e);
    }
  }

  private static Map<String, Object> metadata(LinearClassifier model, long crc) {
    Map<String, Object> meta = JSON.convertValue(model.metadata(), new TypeReference<LinkedHashMap<String, Object>>() {});
    meta.put("formatVersion", FORMAT_VERSION);
    meta.put("classNames", model.classNames());
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("channels", model.shape().channels());
    shape.put("height", model.shape().height());
    shape.put("width", model.shape().width());
    meta.put("imageShape", shape);
    meta.put("loss", model.loss().cliName());
    meta.put("hingeDelta", model.hingeDelta());
    Map<String, Object> pre = new LinkedHashMap<>();
    pre.put("scaling", model.preprocessor().scaling().cliName());
    pre.put("statistics", WEIGHTS_FILE + ": per-feature mean, then per-feature scale, float32, after W and b");
    pre.put("transform", "(x - mean) / scale, where x is the image's 0..255 pixels as channel planes (R, G, B),"
        + " or the feature vector of a non-image input (LibSVM)");
    meta.put("preprocessing", pre);
    meta.put("features", featuresJson(model.features()));
    meta.put("weightsFile", WEIGHTS_FILE);
    meta.put("weightsCrc32", Long.toHexString(crc));
    return meta;
  }

  private static Map<String, Object> featuresJson(FeatureTransform f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", f.spec());
    m.put("randomFeatures", f.randomFeatures());
    if (f.randomFeatures() > 0) {
      m.put("randomSeed", f.randomSeed());
      m.put("inputMean", floats(f.inputMean()));
      m.put("inputScale", floats(f.inputScale()));
    }
    return m;
  }

  private static List<Float> floats(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float v : values) {
      list.add(v);
    }
    return list;
  }

  /** The feature transform of a model; models written before features existed use the pixels. */
  private static FeatureTransform features(Object json, String where) {
    if (json == null) {
      return FeatureTransform.pixels();
    }
    Map<?, ?> m = map(json, "features", where);
    try {
      int random = intField(m, "randomFeatures", where);
      long seed = m.get("randomSeed") instanceof Number n ? n.longValue() : 0;
      FeatureTransform transform = FeatureTransform.parse(String.valueOf(m.get("spec")), random, seed);
      if (random == 0) {
        return transform;
      }
      float[] mean = floatArray(m.get("inputMean"), "features.inputMean", where);
      float[] scale = floatArray(m.get("inputScale"), "features.inputScale", where);
      if (mean.length != scale.length) {
        throw new BadInputException(where + ": features.inputMean and inputScale differ in length");
      }
      return transform.withInputStatistics(mean, scale);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(where + ": " + e.getMessage(), e);
    }
  }

  private static float[] floatArray(Object o, String key, String where) {
    if (!(o instanceof List<?> list)) {
      throw new BadInputException(where + ": field '" + key + "' is missing or not a list");
    }
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n) || !Float.isFinite(n.floatValue())) {
        throw new BadInputException(where + ": field '" + key + "' holds a non-number at " + i);
      }
      out[i] = n.floatValue();
    }
    return out;
  }

  private static int intField(Map<?, ?> m, String key, String where) {
    if (m.get(key) instanceof Number n && n.doubleValue() == n.intValue()) {
      return n.intValue();
    }
    throw new BadInputException(where + ": field '" + key + "' is missing or not an integer");
  }

  private static Map<?, ?> map(Object o, String key, String where) {
    if (o instanceof Map<?, ?> m) {
      return m;
    }
    throw new BadInputException(where + ": field '" + key + "' is missing or not an object");
  }

  private static List<String> stringList(Object o, String key, String where) {
    if (o instanceof List<?> list && list.size() >= 2) {
      List<String> out = new ArrayList<>();
      for (Object item : list) {
        if (!(item instanceof String s)) {
          throw new BadInputException(where + ": field '" + key + "' holds a non-string " + item);
        }
        out.add(s);
      }
      if (out.stream().distinct().count() != out.size()) {
        throw new BadInputException(where + ": field '" + key + "' has duplicate names");
      }
      return out;
    }
    throw new BadInputException(where + ": field '" + key + "' is missing or lists fewer than 2 classes");
  }
}
