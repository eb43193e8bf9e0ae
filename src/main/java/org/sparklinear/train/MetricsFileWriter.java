package org.sparklinear.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparklinear.linalg.LinearWeights;

/**
 * Training metrics as JSON lines, for dashboards: one {@code "step"} line every {@code every} steps and one
 * {@code "epoch"} line per epoch, each flushed as it is written. Any Hadoop file system.
 */
public final class MetricsFileWriter implements TrainingListener, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputStream out;
  private final int every;
  private final long started = System.nanoTime();

  public MetricsFileWriter(String path, Configuration conf, int every) throws IOException {
    Path p = new Path(path);
    this.out = p.getFileSystem(conf).create(p, true);
    this.every = every;
  }

  @Override
  public void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {
    if (step % every == 0) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "step");
      m.put("step", step);
      m.put("epoch", epoch + 1);
      m.put("loss", Double.isFinite(loss) ? loss : null);
      m.put("seconds", seconds());
      write(m);
    }
  }

  @Override
  public void afterEpoch(EpochRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "epoch");
    m.put("epoch", r.epoch());
    m.put("steps", r.steps());
    m.put("learningRate", r.learningRate());
    m.put("trainingLoss", Double.isFinite(r.trainLoss()) ? r.trainLoss() : null);
    m.put("validationAccuracy", Double.isFinite(r.validationAccuracy()) ? r.validationAccuracy() : null);
    m.put("epochSeconds", r.seconds());
    m.put("seconds", seconds());
    write(m);
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  private void write(Map<String, Object> m) {
    try {
      out.write((JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the metrics file: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
