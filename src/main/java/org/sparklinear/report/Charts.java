package org.sparklinear.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** PNG charts drawn with Java2D: a line chart and a heat map with labelled cells. No external library. */
final class Charts {
  static final Color INK = new Color(40, 40, 40);
  static final Color LINE = new Color(31, 119, 180);

  private Charts() {}

  static Graphics2D canvas(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return g;
  }

  /** y over x = 1..n, with the axes' ranges written at their ends. */
  static BufferedImage line(String title, String xLabel, List<Double> values, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image);
    int left = 60;
    int right = width - 20;
    int top = 30;
    int bottom = height - 40;
    g.setColor(INK);
    g.drawString(title, left, 18);
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    g.drawString(xLabel, (left + right) / 2 - 20, height - 8);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (values.isEmpty() || !Double.isFinite(min)) {
      g.drawString("no values", left + 10, (top + bottom) / 2);
      g.dispose();
      return image;
    }
    if (max == min) {
      max = min + 1;
    }
    g.drawString(String.format("%.3g", max), 4, top + 4);
    g.drawString(String.format("%.3g", min), 4, bottom);
    g.drawString("1", left, bottom + 14);
    g.drawString(Integer.toString(values.size()), right - 20, bottom + 14);
    g.setColor(LINE);
    g.setStroke(new BasicStroke(1.5f));
    int previousX = -1;
    int previousY = -1;
    for (int i = 0; i < values.size(); i++) {
      double v = values.get(i);
      if (!Double.isFinite(v)) {
        continue;
      }
      int x = values.size() == 1 ? (left + right) / 2 : left + (int) ((right - left) * (double) i / (values.size() - 1));
      int y = bottom - (int) ((bottom - top) * (v - min) / (max - min));
      if (previousX >= 0) {
        g.drawLine(previousX, previousY, x, y);
      }
      g.fillOval(x - 2, y - 2, 4, 4);
      previousX = x;
      previousY = y;
    }
    g.dispose();
    return image;
  }

  /** A matrix of values in [0, 1] (white to blue), each cell labelled with {@code text[r][c]}. */
  static BufferedImage heatMap(String title, List<String> rowLabels, List<String> columnLabels, double[][] shade,
      String[][] text, int cell) {
    int left = 110;
    int top = 60;
    int width = left + columnLabels.size() * cell + 20;
    int height = top + rowLabels.size() * cell + 20;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image);
    g.setColor(INK);
    g.drawString(title, 10, 18);
    for (int c = 0; c < columnLabels.size(); c++) {
      g.drawString(fit(g, columnLabels.get(c), cell - 4), left + c * cell + 2, top - 8);
    }
    for (int r = 0; r < rowLabels.size(); r++) {
      g.setColor(INK);
      g.drawString(shorten(rowLabels.get(r)), 8, top + r * cell + cell / 2 + 4);
      for (int c = 0; c < columnLabels.size(); c++) {
        double s = Double.isFinite(shade[r][c]) ? Math.max(0, Math.min(1, shade[r][c])) : 0;
        Color fill = new Color((int) (255 - 200 * s), (int) (255 - 150 * s), 255 - (int) (40 * s));
        g.setColor(fill);
        g.fillRect(left + c * cell, top + r * cell, cell - 1, cell - 1);
        g.setColor(s > 0.6 ? Color.WHITE : INK);
        g.drawString(text[r][c], left + c * cell + 4, top + r * cell + cell / 2 + 4);
      }
    }
    g.dispose();
    return image;
  }

  /** The label, cut with an ellipsis to fit {@code width} pixels, so neighbouring column labels never overlap. */
  private static String fit(Graphics2D g, String s, int width) {
    java.awt.FontMetrics metrics = g.getFontMetrics();
    if (metrics.stringWidth(s) <= width) {
      return s;
    }
    String cut = s;
    while (cut.length() > 1 && metrics.stringWidth(cut + "…") > width) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "…";
  }

  private static String shorten(String s) {
    return s.length() <= 14 ? s : s.substring(0, 13) + "…";
  }
}
