package org.sparklinear.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a command writes, and how it recognises its own earlier output: the only thing besides an empty directory
 * that it may replace. Directories carry a marker file (a model its {@code metadata.json}); checkpoint and registry
 * directories are recognised by the names of everything in them; a metrics file by its first line.
 */
public enum OutputKind {
  MODEL("a model directory", true, true),
  PREDICTIONS("a predictions directory", true, true),
  REPORT("a report directory", true, true),
  SAMPLES("a sample-data directory", true, true),
  CHECKPOINTS("a checkpoint directory", true, false),
  REGISTRY("a model registry", true, false),
  METRICS_FILE("a metrics file", false, false),
  ONNX_MODEL("an ONNX model file", false, true);

  /** The marker file in predictions, report and sample directories: hidden from Spark's and Hadoop's readers. */
  public static final String MARKER_FILE = "_SPARK_LINEAR_CLASSIFIER";
  static final String WRITER = "spark-linear-classifier";
  private static final String MODEL_METADATA = "metadata.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHECKPOINT_ENTRY = Pattern.compile("\\.?step-\\d+\\.ckpt(\\.tmp)?");
  private static final Pattern REGISTRY_ENTRY = Pattern.compile(
      "CURRENT|LOCK|v\\d{6}|\\.staging-.*|\\.LOCK\\.stale-.*|\\.CURRENT\\.tmp-.*|\\.LOCK\\.tmp-.*|\\.LOCK\\.probe-.*");

  private final String description;
  private final boolean directory;
  private final boolean replacedOnlyWithOverwrite;

  OutputKind(String description, boolean directory, boolean replacedOnlyWithOverwrite) {
    this.description = description;
    this.directory = directory;
    this.replacedOnlyWithOverwrite = replacedOnlyWithOverwrite;
  }

  public String description() {
    return description;
  }

  public boolean isDirectory() {
    return directory;
  }

  /**
   * Models, predictions, reports and samples are replaced whole, so only with {@code --overwrite}; checkpoints and
   * registries are added to (a resumed run, the next night's retraining), and a metrics file is the log of the
   * latest run.
   */
  public boolean replacedOnlyWithOverwrite() {
    return replacedOnlyWithOverwrite;
  }

  /** Whether this kind's directories carry {@link #MARKER_FILE} (a model is recognised by its metadata). */
  public boolean usesMarker() {
    return this == PREDICTIONS || this == REPORT || this == SAMPLES;
  }

  /** The marker's content for the kinds that use {@link #MARKER_FILE}. */
  public String markerContent() {
    return "{\"writer\":\"" + WRITER + "\",\"kind\":\"" + name().toLowerCase() + "\"}\n";
  }

  /** Writes the marker into a (staging) directory of this kind. */
  public void writeMarker(FileSystem fs, Path dir) throws IOException {
    try (OutputStream out = fs.create(new Path(dir, MARKER_FILE), true)) {
      out.write(markerContent().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Why the existing {@code path} is not this kind's own output, or null when it is (an empty directory counts as
   * ours: replacing it destroys nothing).
   */
  public String whyNotOurs(FileSystem fs, Path path) throws IOException {
    FileStatus status = fs.getFileStatus(path);
    if (directory != status.isDirectory()) {
      return status.isDirectory() ? "it is a directory, and " + description + " is a file"
          : "it is a file, and " + description + " is a directory";
    }
    if (this == METRICS_FILE) {
      return isMetricsFile(fs, path) ? null : "it is a file that is not a metrics file written by this job";
    }
    if (this == ONNX_MODEL) {
      return isOnnxExport(fs, path) ? null : "it is a file that is not an ONNX model exported by this job";
    }
    FileStatus[] entries = fs.listStatus(path);
    if (entries.length == 0) {
      return null;
    }
    switch (this) {
      case CHECKPOINTS:
        return allEntriesMatch(entries, CHECKPOINT_ENTRY);
      case REGISTRY:
        return allEntriesMatch(entries, REGISTRY_ENTRY);
      case MODEL:
        return isModel(fs, path) ? null : foreign(entries, "no " + MODEL_METADATA + " of a model");
      default:
        String found = markerKind(fs, path);
        if (found == null) {
          return foreign(entries, "no " + MARKER_FILE + " marker");
        }
        return found.equals(name().toLowerCase()) ? null
            : "it holds " + found + " written by this job, not " + description;
    }
  }

  private static String allEntriesMatch(FileStatus[] entries, Pattern ours) {
    for (FileStatus e : entries) {
      if (!ours.matcher(e.getPath().getName()).matches()) {
        return foreign(entries, "'" + e.getPath().getName() + "' is not one of its files");
      }
    }
    return null;
  }

  private static String foreign(FileStatus[] entries, String what) {
    StringBuilder sb = new StringBuilder("it holds ").append(entries.length)
        .append(entries.length == 1 ? " entry (" : " entries (");
    for (int i = 0; i < Math.min(3, entries.length); i++) {
      sb.append(i == 0 ? "" : ", ").append('\'').append(entries[i].getPath().getName()).append('\'');
    }
    return sb.append(entries.length > 3 ? ", ...)" : ")").append(" and ").append(what).toString();
  }

  /** A model directory: metadata.json with our format version and class names, beside a weights file. */
  private static boolean isModel(FileSystem fs, Path dir) throws IOException {
    Path meta = new Path(dir, MODEL_METADATA);
    if (!fs.isFile(meta) || !fs.isFile(new Path(dir, "weights.bin"))) {
      return false;
    }
    JsonNode node = readJson(fs, meta);
    return node != null && node.isObject() && node.path("formatVersion").isInt() && node.path("classNames").isArray();
  }

  private static String markerKind(FileSystem fs, Path dir) throws IOException {
    Path marker = new Path(dir, MARKER_FILE);
    if (!fs.isFile(marker)) {
      return null;
    }
    JsonNode node = readJson(fs, marker);
    if (node == null || !WRITER.equals(node.path("writer").asText())) {
      return null;
    }
    String kind = node.path("kind").asText();
    for (OutputKind k : values()) {
      if (k.name().toLowerCase().equals(kind)) {
        return kind;
      }
    }
    return null;
  }

  /** Our metrics files are JSON lines whose objects have a "type" (step, epoch); an empty file is fine too. */
  private static boolean isMetricsFile(FileSystem fs, Path file) throws IOException {
    if (fs.getFileStatus(file).getLen() == 0) {
      return true;
    }
    String head = HadoopFiles.readHead(fs, file, 4096);
    int newline = head.indexOf('\n');
    String first = newline < 0 ? head : head.substring(0, newline);
    try {
      JsonNode node = JSON.readTree(first);
      return node != null && node.isObject() && node.path("type").isTextual();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * An ONNX model this job exported: protobuf writes a ModelProto's fields in number order, so the file starts with
   * {@code ir_version} (field 1, a varint) and then {@code producer_name} (field 2), which names this job.
   */
  private static boolean isOnnxExport(FileSystem fs, Path file) throws IOException {
    byte[] head;
    try (java.io.InputStream in = fs.open(file)) {
      head = in.readNBytes(64);
    }
    byte[] producer = WRITER.getBytes(StandardCharsets.UTF_8);
    int i = 1;
    while (i < head.length && (head[i] & 0x80) != 0) {
      i++; // the rest of the ir_version varint
    }
    i++;
    return head.length > i + 2 + producer.length && head[0] == 0x08 && head[i] == 0x12 && head[i + 1] == producer.length
        && java.util.Arrays.equals(head, i + 2, i + 2 + producer.length, producer, 0, producer.length);
  }

  private static JsonNode readJson(FileSystem fs, Path file) {
    try {
      return JSON.readTree(HadoopFiles.readSmall(fs, file, 1 << 20));
    } catch (IOException e) {
      return null; // unreadable or not JSON: not ours
    }
  }
}
