package org.sparklinear.report;

import java.util.Collection;
import java.util.List;
import org.sparklinear.eval.ConfusionMatrix;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;

/** The report's page: inline styles and script, local images only, every value also as text. */
final class Html {
  private Html() {}

  static String page(LinearClassifier model, ConfusionMatrix cm, String evaluatedOn, Collection<String> images) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc("spark-linear-classifier report")).append("</title>\n<style>")
        .append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1200px}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("th{background:#f3f3f3}img{display:block;margin:8px 0;max-width:100%}</style></head><body>\n");
    b.append("<h1>Model report</h1>\n<p>").append(esc(model.loss().cliName())).append(" on ")
        .append(esc(model.features().toString())).append(" of ").append(esc(model.shape().toString()))
        .append(" images, ").append(model.classNames().size()).append(" classes. Accuracy ")
        .append(String.format("%.4f", cm.accuracy())).append(" (").append(cm.correct()).append(" of ")
        .append(cm.total()).append(") on ").append(esc(evaluatedOn)).append(".</p>\n");
    ModelMetadata.Metrics m = model.metadata().metrics();
    if (m != null) {
      b.append("<p>Training: ").append(esc(String.valueOf(m.steps()))).append(" steps in ")
          .append(number(m.trainingSeconds(), "%.1f")).append(" s; validation accuracy ")
          .append(number(m.validationAccuracy(), "%.4f")).append(".</p>\n");
    }
    section(b, images, "loss.png", "Training loss per step");
    section(b, images, "accuracy.png", "Validation accuracy per epoch");
    section(b, images, "templates.png", "Class templates (rows of W as images, each rescaled to its own range)");
    section(b, images, "confusion.png", "Confusion matrix");
    b.append("<table><tr><th>actual \\ predicted</th>");
    List<String> classes = model.classNames();
    for (String c : classes) {
      b.append("<th>").append(esc(c)).append("</th>");
    }
    b.append("</tr>\n");
    for (int a = 0; a < classes.size(); a++) {
      b.append("<tr><th>").append(esc(classes.get(a))).append("</th>");
      for (int p = 0; p < classes.size(); p++) {
        b.append("<td>").append(cm.count(a, p)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
    section(b, images, "per-class.png", "Accuracy per class");
    b.append("<table><tr><th>class</th><th>accuracy</th></tr>\n");
    double[] perClass = cm.perClassAccuracy();
    for (int c = 0; c < classes.size(); c++) {
      b.append("<tr><th>").append(esc(classes.get(c))).append("</th><td>")
          .append(Double.isNaN(perClass[c]) ? "no examples" : String.format("%.4f", perClass[c])).append("</td></tr>\n");
    }
    b.append("</table>\n");
    section(b, images, "sweep.png", "Sweep: validation accuracy over learning rate and regularisation");
    // marks on <body> whether every image decoded, for people and for the headless-browser test
    b.append("<script>window.addEventListener('load',function(){var i=document.images,ok=0;")
        .append("for(var k=0;k<i.length;k++){if(i[k].complete&&i[k].naturalWidth>0)ok++;}")
        .append("document.body.setAttribute('data-images',ok+'/'+i.length);});</script>\n");
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void section(StringBuilder b, Collection<String> images, String file, String title) {
    if (images.contains(file)) {
      b.append("<h2>").append(esc(title)).append("</h2>\n<img src=\"").append(file).append("\" alt=\"")
          .append(esc(title)).append("\">\n");
    }
  }

  private static String number(Object value, String format) {
    return value instanceof Number n ? String.format(format, n.doubleValue()) : esc(String.valueOf(value));
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
