package org.sparklinear.cli;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.export.OnnxExporter;
import org.sparklinear.io.HadoopFiles;
import org.sparklinear.io.OutputGuard;
import org.sparklinear.io.OutputKind;
import org.sparklinear.model.LinearClassifier;

/** {@code export}: a model (or a registry's current version) as one ONNX file, without Spark. */
final class ExportCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(ExportCommand.class);

  @Override
  public String name() {
    return "export";
  }

  @Override
  public String summary() {
    return "write a model as an ONNX graph (preprocessing, scores, label, probabilities) to serve it anywhere";
  }

  @Override
  public List<String> options() {
    return List.of("model", "format", "out", "overwrite");
  }

  @Override
  public List<String> requiredOptions() {
    return List.of("model", "out");
  }

  @Override
  public Map<String, OutputKind> outputOptions() {
    return Map.of("out", OutputKind.ONNX_MODEL);
  }

  @Override
  public int run(Options options) throws Exception {
    String format = options.string("format").trim();
    if (!format.equals("onnx") && !format.equals("auto")) {
      throw new UsageException("export --format: the only export format is onnx, got '" + format + "'");
    }
    String out = options.required("out");
    boolean overwrite = options.flag("overwrite");
    Configuration conf = OutputChecks.hadoopConfiguration();
    LinearClassifier model = ModelInput.readModel(conf, options.required("model"));
    byte[] onnx = OnnxExporter.export(model);
    Path target = new Path(out);
    FileSystem fs = HadoopFiles.fileSystem(target, conf);
    OutputGuard.checkReplaceable(fs, target, OutputKind.ONNX_MODEL, overwrite, "--out " + out);
    if (target.getParent() != null) {
      fs.mkdirs(target.getParent());
    }
    HadoopFiles.replaceAtomically(fs, target, onnx);
    LOG.info("exported {} ({} classes, {} features, {}) to {}: {} bytes", options.required("model"),
        model.classNames().size(), model.features(), model.loss().cliName(), out, onnx.length);
    return ExitCode.OK;
  }
}
