package org.sparklinear.examples;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.Prediction;

/**
 * The README's scoring snippet, runnable: a model scores image files in this JVM, with no Spark. Usage:
 * {@code ScoringExample MODEL_DIR IMAGE...}; prints one line per image: the file, the class, the scores.
 */
public final class ScoringExample {
  private ScoringExample() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ScoringExample MODEL_DIR IMAGE...");
      System.exit(2);
    }
    score(args[0], Arrays.asList(args).subList(1, args.length)).forEach(System.out::println);
  }

  /** The lines {@link #main} prints. The README quotes the body (a test checks it is this code). */
  public static List<String> score(String modelDir, List<String> imageFiles) throws IOException {
    List<String> lines = new ArrayList<>();
    LinearClassifier model = LinearClassifier.load(modelDir); // a local path, hdfs://..., s3a://...
    for (String file : imageFiles) {
      Prediction p = model.predict(ImageIO.read(new File(file))); // resized to the model's shape, as predict does
      lines.add(file + " " + p.className() + " " + Arrays.toString(p.scores()));
    }
    return lines;
  }
}
