package org.sparklinear.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.io.OutputKind;
import org.sparklinear.BadInputException;
import org.sparklinear.data.DataProvenance;
import org.sparklinear.data.DatasetReader;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.registry.ModelRegistry;
import org.sparklinear.registry.RegistryLock;
import org.sparklinear.registry.VersionRecord;
import org.sparklinear.train.TrainingConfig;

/**
 * {@code retrain}: the unattended nightly run. Trains on new data (warm-started from the registry's current model),
 * compares the new and the current model on a holdout set, stores the new model as an immutable version and moves
 * {@code CURRENT} to it only when it is not worse by more than {@code --max-regression}. Prints one JSON line with
 * the outcome on stdout; the exit code says what happened (see {@link ExitCode}).
 */
final class RetrainCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainCommand.class);
  /** Options that do not change what a run computes, so they are left out of the default run id. */
  private static final List<String> NOT_IN_RUN_ID = List.of("run-id", "lock-expiry", "master", "metrics-file",
      "checkpoint-dir", "checkpoint-every", "log-every", "registry", "conf-file");
  private final PrintStream stdout;

  RetrainCommand(PrintStream stdout) {
    this.stdout = stdout;
  }

  @Override
  public String name() {
    return "retrain";
  }

  @Override
  public String summary() {
    return "train on new data from the registry's current model and promote the result if it is not worse";
  }

  @Override
  public List<String> options() {
    List<String> all = new ArrayList<>(List.of("registry"));
    all.addAll(DataOptions.NAMES);
    all.addAll(List.of("holdout", "cold", "max-regression", "run-id", "lock-expiry"));
    all.addAll(TrainCommand.TRAINING_OPTIONS);
    all.addAll(List.of("checkpoint-dir", "checkpoint-every", "metrics-file", "master"));
    return all;
  }

  @Override
  public Map<String, OutputKind> outputOptions() {
    return Map.of("registry", OutputKind.REGISTRY, "checkpoint-dir", OutputKind.CHECKPOINTS, "metrics-file",
        OutputKind.METRICS_FILE);
  }

  @Override
  public List<String> requiredOptions() {
    return List.of("registry", "data", "holdout");
  }

  @Override
  public int run(Options options) throws Exception {
    TrainingConfig config = TrainCommand.config(options);
    double maxRegression = options.decimal("max-regression");
    if (!(maxRegression >= 0 && maxRegression <= 1)) {
      throw new UsageException("--max-regression must be an accuracy difference between 0 and 1, got " + maxRegression);
    }
    long expirySeconds = options.longValue("lock-expiry");
    if (expirySeconds < 1) {
      throw new UsageException("--lock-expiry must be at least 1 second, got " + expirySeconds);
    }
    String dataPath = options.required("data");
    String holdoutPath = options.required("holdout");
    LOG.info("retrain configuration: {}", options.asMap());
    try (JavaSparkContext sc = SparkContexts.start(name(), options)) {
      ModelRegistry registry = new ModelRegistry(options.required("registry"), sc.hadoopConfiguration());
      DataProvenance data = DataProvenance.of(dataPath, sc.hadoopConfiguration());
      DataProvenance holdout = DataProvenance.of(holdoutPath, sc.hadoopConfiguration());
      String givenId = options.string("run-id");
      String runId = givenId.isEmpty() ? defaultRunId(options, data, holdout) : givenId;
      LOG.info("run id {} on registry {}", runId, registry.root());
      try (RegistryLock lock = registry.lock(runId, Duration.ofSeconds(expirySeconds))) {
        var earlier = registry.findRun(runId);
        if (earlier.isPresent()) {
          return replay(registry, lock, earlier.get());
        }
        for (VersionRecord pending : registry.unfinishedPromotions()) {
          LOG.warn("{} was chosen for promotion by run {} but CURRENT never moved to it (that run stopped in between);"
              + " re-run with --run-id {} to finish it", pending.version(), pending.runId(), pending.runId());
        }
        return retrain(sc, options, config, registry, lock, runId, data, holdout, maxRegression);
      }
    }
  }

  private int retrain(JavaSparkContext sc, Options options, TrainingConfig config, ModelRegistry registry,
      RegistryLock lock, String runId, DataProvenance data, DataProvenance holdout, double maxRegression)
      throws Exception {
    String parent = registry.current().orElse(null);
    LinearClassifier current = parent == null ? null : registry.readModel(parent);
    boolean cold = options.flag("cold") || current == null;
    LOG.info(parent == null ? "the registry has no current model: training from scratch"
        : cold ? "current model is " + parent + "; --cold: training from scratch"
        : "current model is " + parent + ": warm-starting from it");
    LinearClassifier candidate = ModelTraining.train(sc, options, config, name(), data.path(), cold ? null : current);
    if (current != null && !candidate.classNames().equals(current.classNames())) {
      throw new BadInputException(data.path() + ": classes " + candidate.classNames() + " differ from the current"
          + " model's " + current.classNames() + "; models of different classes cannot be compared: use a new registry");
    }

    JavaRDD<LabeledImage> holdoutImages = readHoldout(sc, options, holdout.path(), candidate);
    long examples = holdoutImages.count();
    if (examples == 0) {
      throw new BadInputException(holdout.path() + ": the holdout set has no images");
    }
    double candidateAccuracy = accuracy(sc, holdoutImages, candidate, "new model");
    Double currentAccuracy = current == null ? null : accuracy(sc, holdoutImages, current, parent);
    holdoutImages.unpersist(false);

    boolean promote = currentAccuracy == null || candidateAccuracy >= currentAccuracy - maxRegression;
    String reason = currentAccuracy == null ? "first version of the registry"
        : String.format("holdout accuracy %.4f vs %.4f for %s: %s by %.4f, %s --max-regression %s", candidateAccuracy,
            currentAccuracy, parent, candidateAccuracy >= currentAccuracy ? "better or equal" : "worse",
            Math.abs(candidateAccuracy - currentAccuracy), promote ? "within" : "beyond", maxRegression);

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("createdAt", Instant.now().toString());
    details.put("codeVersion", Main.version());
    details.put("sparkVersion", sc.version());
    details.put("sparkMaster", sc.master());
    details.put("warmStartFrom", cold ? null : parent);
    Map<String, Object> evaluation = new LinkedHashMap<>();
    evaluation.put("examples", examples);
    evaluation.put("candidateAccuracy", candidateAccuracy);
    evaluation.put("currentAccuracy", currentAccuracy);
    evaluation.put("maxRegression", maxRegression);
    evaluation.put("provenance", holdout.toMap());
    details.put("holdout", evaluation);
    details.put("data", data.toMap());
    details.put("configuration", options.asMap());
    details.put("trainingMetrics", candidate.metadata().metrics());

    VersionRecord written = registry.writeVersion(lock, candidate, runId, parent, promote, reason, details);
    LOG.info("wrote {} ({})", written.version(), reason);
    if (promote) {
      registry.promote(lock, written.version(), parent);
      LOG.info("promoted {}: CURRENT now names it (was {})", written.version(), parent);
    } else {
      LOG.warn("kept {}: {} is stored but not promoted", parent, written.version());
    }
    return report(promote ? "promoted" : "kept", written, promote ? written.version() : parent, false);
  }

  /** A run id seen before: report (and, after a crash, finish) what that run decided; never train twice. */
  private int replay(ModelRegistry registry, RegistryLock lock, VersionRecord earlier) throws IOException {
    String current = registry.current().orElse(null);
    LOG.info("run {} already wrote {} (decision: {}); not training again", earlier.runId(), earlier.version(),
        earlier.promote() ? "promote" : "keep");
    if (!earlier.promote()) {
      return report("kept", earlier, current, true);
    }
    if (java.util.Objects.equals(current, earlier.parent())) {
      LOG.warn("{} was chosen for promotion but CURRENT still names {}: the earlier run stopped before moving the"
          + " pointer. Finishing the promotion now", earlier.version(), current);
      registry.promote(lock, earlier.version(), current);
      return report("promoted", earlier, earlier.version(), true);
    }
    if (earlier.version().equals(current) || builtUpon(registry, earlier.version())) {
      return report("promoted", earlier, current, true);
    }
    LOG.warn("{} was chosen for promotion, but CURRENT moved from {} to {} before it could be", earlier.version(),
        earlier.parent(), current);
    return report("kept", earlier, current, true);
  }

  private static boolean builtUpon(ModelRegistry registry, String version) throws IOException {
    for (String v : registry.versions()) {
      if (version.equals(registry.record(v).parent())) {
        return true;
      }
    }
    return false;
  }

  private int report(String outcome, VersionRecord version, String current, boolean replayed) throws IOException {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("outcome", outcome);
    result.put("runId", version.runId());
    result.put("version", version.version());
    result.put("current", current);
    result.put("parent", version.parent());
    result.put("reason", version.reason());
    result.put("replayed", replayed);
    Object holdout = version.details().get("holdout");
    if (holdout instanceof Map<?, ?> h) {
      result.put("candidateAccuracy", h.get("candidateAccuracy"));
      result.put("currentAccuracy", h.get("currentAccuracy"));
    }
    stdout.println(new ObjectMapper().writeValueAsString(result));
    stdout.flush();
    return outcome.equals("promoted") ? ExitCode.OK : ExitCode.KEPT_CURRENT;
  }

  private static JavaRDD<LabeledImage> readHoldout(JavaSparkContext sc, Options options, String path,
      LinearClassifier model) {
    ImageDataset dataset = new DatasetReader(sc).read(path, ModelInput.readOptionsFor(model, options, sc));
    model.checkCompatible(dataset.shape(), path);
    // both models are scored on the same decoded images
    return dataset.images().persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static double accuracy(JavaSparkContext sc, JavaRDD<LabeledImage> images, LinearClassifier model,
      String what) {
    sc.setJobDescription("holdout accuracy of " + what);
    double accuracy = ModelInput.score(sc, model, images).accuracy();
    LOG.info(String.format("holdout accuracy of %s: %.4f", what, accuracy));
    return accuracy;
  }

  /** Same input files (paths, sizes, modification times) and same settings give the same id. */
  static String defaultRunId(Options options, DataProvenance data, DataProvenance holdout) {
    Map<String, String> settings = new TreeMap<>(options.asMap());
    NOT_IN_RUN_ID.forEach(settings::remove);
    StringBuilder sb = new StringBuilder(settings.toString());
    for (DataProvenance p : List.of(data, holdout)) {
      sb.append('\n').append(p.path());
      p.files().forEach(f -> sb.append('\n').append(f.path()).append(' ').append(f.bytes()).append(' ')
          .append(f.modified()));
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return "auto-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
