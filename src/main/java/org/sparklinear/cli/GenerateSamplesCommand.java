package org.sparklinear.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.io.OutputKind;
import org.sparklinear.samples.SampleImageGenerator;

/** {@code generate-samples}: writes the project's small synthetic dataset (what {@code data-samples/} holds). */
final class GenerateSamplesCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateSamplesCommand.class);

  @Override
  public String name() {
    return "generate-samples";
  }

  @Override
  public String summary() {
    return "write the small synthetic image set of data-samples/ (PNG class folders and a CIFAR-format file)";
  }

  @Override
  public List<String> options() {
    return List.of("out", "samples-per-class", "seed", "overwrite");
  }

  @Override
  public Map<String, OutputKind> outputOptions() {
    return Map.of("out", OutputKind.SAMPLES);
  }

  @Override
  public List<String> requiredOptions() {
    return List.of("out");
  }

  @Override
  public int run(Options options) throws Exception {
    Path out = Path.of(options.required("out"));
    int perClass = options.integer("samples-per-class");
    if (perClass < 1) {
      throw new UsageException("--samples-per-class must be at least 1, got " + perClass);
    }
    Path staging = Files.createTempDirectory(out.toAbsolutePath().getParent() == null ? Path.of(".")
        : Files.createDirectories(out.toAbsolutePath()), ".samples-");
    try {
      SampleImageGenerator.generate(staging, perClass, options.longValue("seed"));
      // the marker is what lets a later --overwrite replace images/ and cifar/ here, and nothing else
      Files.writeString(out.resolve(OutputKind.MARKER_FILE), OutputKind.SAMPLES.markerContent());
      for (String sub : List.of("images", "cifar")) {
        deleteRecursively(out.resolve(sub));
        Files.move(staging.resolve(sub), out.resolve(sub));
      }
    } finally {
      deleteRecursively(staging);
    }
    LOG.info("wrote {} images per class of {} to {}", perClass, SampleImageGenerator.CLASSES, out);
    return ExitCode.OK;
  }

  private static void deleteRecursively(Path p) throws java.io.IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
