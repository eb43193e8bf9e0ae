package org.sparklinear.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.sparklinear.eval.ConfusionMatrix;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;

/**
 * Writes a model's report: one self-contained HTML page ({@code index.html}, no scripts or styles from elsewhere)
 * and its PNG files: training loss per step, validation accuracy per epoch, the learned class templates (each row of
 * W as an image, rescaled), the confusion matrix as a heat map, per-class accuracy, and the sweep's accuracy over
 * learning rate x regularisation when the model came from a sweep.
 */
public final class ReportWriter {
  public static final int TEMPLATE_SCALE = 4;

  private ReportWriter() {}

  /**
   * @param stepLosses training loss per step (may be empty)
   * @param epochAccuracy validation accuracy per epoch (may be empty)
   * @param confusion on the evaluated images
   * @param evaluatedOn what the confusion matrix counts, for the page
   * @return the files written, by name
   */
  public static Map<String, Path> write(Path dir, LinearClassifier model, List<Double> stepLosses,
      List<Double> epochAccuracy, ConfusionMatrix confusion, String evaluatedOn) throws IOException {
    Files.createDirectories(dir);
    Map<String, Path> files = new LinkedHashMap<>();
    List<String> classes = model.classNames();
    files.put("loss.png", png(dir, "loss.png", Charts.line("training loss per step", "step", stepLosses, 800, 300)));
    files.put("accuracy.png", png(dir, "accuracy.png", Charts.line("validation accuracy per epoch", "epoch",
        epochAccuracy, 800, 300)));
    BufferedImage templates = templates(model);
    if (templates != null) {
      files.put("templates.png", png(dir, "templates.png", templates));
    }
    files.put("confusion.png", png(dir, "confusion.png", confusionMap(confusion, classes)));
    files.put("per-class.png", png(dir, "per-class.png", perClass(confusion, classes)));
    BufferedImage sweep = sweepMap(model);
    if (sweep != null) {
      files.put("sweep.png", png(dir, "sweep.png", sweep));
    }
    Path html = dir.resolve("index.html");
    Files.writeString(html, Html.page(model, confusion, evaluatedOn, files.keySet()), StandardCharsets.UTF_8);
    files.put("index.html", html);
    return files;
  }

  private static Path png(Path dir, String name, BufferedImage image) throws IOException {
    Path file = dir.resolve(name);
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer for " + file);
    }
    return file;
  }

  /**
   * Each class's row of W reshaped into the image it scores (raw-pixel models only), rescaled to 0..255 on its own
   * range, enlarged {@value #TEMPLATE_SCALE}x, side by side with the class names under them.
   */
  static BufferedImage templates(LinearClassifier model) {
    if (!model.features().isIdentity() || model.shape().height() < 2) {
      return null; // weights of computed features or of feature vectors are no images
    }
    LinearWeights w = model.weights();
    int h = model.shape().height();
    int width = model.shape().width();
    int channels = model.shape().channels();
    int plane = h * width;
    int tileW = width * TEMPLATE_SCALE;
    int tileH = h * TEMPLATE_SCALE;
    int k = w.classes();
    BufferedImage image = new BufferedImage(k * (tileW + 8) + 8, tileH + 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Charts.canvas(image);
    for (int c = 0; c < k; c++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int f = 0; f < w.features(); f++) {
        min = Math.min(min, w.weight(c, f));
        max = Math.max(max, w.weight(c, f));
      }
      double range = max > min ? max - min : 1;
      int x0 = 8 + c * (tileW + 8);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < width; x++) {
          int[] rgb = new int[3];
          for (int ch = 0; ch < 3; ch++) {
            int f = (channels == 1 ? 0 : ch) * plane + y * width + x;
            rgb[ch] = (int) Math.round(255 * (w.weight(c, f) - min) / range);
          }
          g.setColor(new Color(rgb[0], rgb[1], rgb[2]));
          g.fillRect(x0 + x * TEMPLATE_SCALE, 4 + y * TEMPLATE_SCALE, TEMPLATE_SCALE, TEMPLATE_SCALE);
        }
      }
      g.setColor(Charts.INK);
      String name = model.classNames().get(c);
      g.drawString(name.length() > 16 ? name.substring(0, 15) + "…" : name, x0, tileH + 22);
    }
    g.dispose();
    return image;
  }

  static BufferedImage confusionMap(ConfusionMatrix cm, List<String> classes) {
    int k = classes.size();
    double[][] shade = new double[k][k];
    String[][] text = new String[k][k];
    for (int a = 0; a < k; a++) {
      long rowTotal = 0;
      for (int p = 0; p < k; p++) {
        rowTotal += cm.count(a, p);
      }
      for (int p = 0; p < k; p++) {
        shade[a][p] = rowTotal == 0 ? 0 : (double) cm.count(a, p) / rowTotal;
        text[a][p] = Long.toString(cm.count(a, p));
      }
    }
    return Charts.heatMap("confusion matrix: rows actual, columns predicted (shade: share of the row)", classes,
        classes, shade, text, 56);
  }

  static BufferedImage perClass(ConfusionMatrix cm, List<String> classes) {
    double[] accuracy = cm.perClassAccuracy();
    double[][] shade = new double[classes.size()][1];
    String[][] text = new String[classes.size()][1];
    for (int c = 0; c < classes.size(); c++) {
      shade[c][0] = accuracy[c];
      text[c][0] = Double.isNaN(accuracy[c]) ? "no examples" : String.format("%.3f", accuracy[c]);
    }
    return Charts.heatMap("accuracy per class", classes, List.of("accuracy"), shade, text, 90);
  }

  /** The sweep's validation accuracy over learning rate (rows) x L2 strength (columns), or null. */
  static BufferedImage sweepMap(LinearClassifier model) {
    ModelMetadata.Sweep sweep = model.metadata().sweep();
    if (sweep == null || sweep.models() == null || sweep.models().isEmpty()) {
      return null;
    }
    List<Double> rates = new ArrayList<>();
    List<Double> strengths = new ArrayList<>();
    double min = 1;
    double max = 0;
    for (ModelMetadata.SweepModel row : sweep.models()) {
      if (!rates.contains(row.lr())) {
        rates.add(row.lr());
      }
      if (!strengths.contains(row.reg())) {
        strengths.add(row.reg());
      }
      min = Math.min(min, row.validationAccuracy());
      max = Math.max(max, row.validationAccuracy());
    }
    double[][] shade = new double[rates.size()][strengths.size()];
    String[][] text = new String[rates.size()][strengths.size()];
    for (ModelMetadata.SweepModel row : sweep.models()) {
      int r = rates.indexOf(row.lr());
      int c = strengths.indexOf(row.reg());
      double a = row.validationAccuracy();
      shade[r][c] = max > min ? (a - min) / (max - min) : 1;
      text[r][c] = String.format("%.3f", a);
    }
    return Charts.heatMap("sweep: validation accuracy, rows lr, columns reg", rates.stream().map(v -> "lr " + v)
        .toList(), strengths.stream().map(v -> "reg " + v).toList(), shade, text, 90);
  }
}
