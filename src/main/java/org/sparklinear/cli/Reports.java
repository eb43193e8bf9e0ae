package org.sparklinear.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.sparklinear.eval.ConfusionMatrix;
import org.sparklinear.io.OutputGuard;
import org.sparklinear.io.OutputKind;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.report.ReportWriter;

/** A model's report from what its metadata keeps (step losses, epoch history, sweep) and a confusion matrix. */
final class Reports {
  private Reports() {}

  /**
   * Writes the report into a hidden sibling of {@code dir} and moves it into place whole; an existing {@code dir} is
   * replaced only when it is empty or an earlier report, and then only with {@code overwrite}.
   */
  static void write(Path dir, boolean overwrite, LinearClassifier model, ConfusionMatrix cm, String evaluatedOn)
      throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration()).getRaw();
    org.apache.hadoop.fs.Path target = fs.makeQualified(new org.apache.hadoop.fs.Path(dir.toAbsolutePath().normalize()
        .toString()));
    OutputGuard.writeReplacing(fs, target, OutputKind.REPORT, overwrite, dir.toString(),
        staging -> ReportWriter.write(Path.of(staging.toUri()), model, model.metadata().stepLossOrNaN(),
            model.metadata().epochAccuracy(), cm, evaluatedOn));
  }
}
