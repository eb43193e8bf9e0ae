package org.sparklinear.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparklinear.BadInputException;
import org.sparklinear.io.ConditionalWrites;
import org.sparklinear.io.HadoopFiles;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelStore;

/**
 * A directory of model versions on any Hadoop file system:
 * <pre>
 *   REGISTRY/CURRENT              the live version's name, e.g. "v000002", replaced atomically
 *   REGISTRY/LOCK                 while a retraining run works on the registry
 *   REGISTRY/v000001/model/       an ordinary model directory (evaluate --model works on it)
 *   REGISTRY/v000001/version.json run id, parent, decision, metrics, data provenance, configuration, code version
 * </pre>
 * A version folder appears complete or not at all (written aside, then renamed) and is never changed afterwards.
 * Readers only follow {@code CURRENT}; the live model is never renamed or rewritten. On an object store (S3), where a
 * rename is a copy, a version is written in place and its {@code version.json}, created last and only if absent, is
 * what makes it a version: a folder without one is the trace of a killed run, skipped by readers and by numbering.
 * Such a registry is only used on a store that honours conditional writes ({@link ConditionalWrites}).
 */
public final class ModelRegistry {
  public static final String CURRENT_FILE = "CURRENT";
  public static final String LOCK_FILE = "LOCK";
  public static final String MODEL_DIR = "model";
  public static final String VERSION_FILE = "version.json";
  private static final Pattern VERSION_NAME = Pattern.compile("v\\d{6}");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path root;
  private final FileSystem fs;
  private final Configuration conf;
  private final boolean renameIsCopy;

  public ModelRegistry(String root, Configuration conf) {
    this.root = new Path(root);
    this.conf = conf;
    try {
      this.fs = HadoopFiles.fileSystem(this.root, conf);
    } catch (IOException e) {
      throw new BadInputException(root + ": cannot open the registry's file system: " + e.getMessage(), e);
    }
    this.renameIsCopy = ConditionalWrites.renameIsCopy(fs);
  }

  /** True when {@code dir} is a registry, that is, has a {@code CURRENT} pointer. */
  public static boolean isRegistry(String dir, Configuration conf) {
    try {
      Path p = new Path(dir);
      return HadoopFiles.fileSystem(p, conf).exists(new Path(p, CURRENT_FILE));
    } catch (IOException e) {
      return false;
    }
  }

  public String root() {
    return root.toString();
  }

  /** The version {@code CURRENT} names, checked to exist; empty for a registry that has none yet. */
  public Optional<String> current() throws IOException {
    Path pointer = new Path(root, CURRENT_FILE);
    if (!fs.exists(pointer)) {
      return Optional.empty();
    }
    String name = HadoopFiles.readSmall(fs, pointer, 256).trim();
    if (!VERSION_NAME.matcher(name).matches()) {
      throw new BadInputException(pointer + ": does not name a version (expected vNNNNNN, found '" + name + "')");
    }
    if (!fs.exists(new Path(new Path(root, name), VERSION_FILE))) {
      throw new BadInputException(pointer + ": names " + name + ", which is not a complete version of " + root);
    }
    return Optional.of(name);
  }

  /** The model directory of a version. */
  public String modelDir(String version) {
    return new Path(new Path(root, version), MODEL_DIR).toString();
  }

  public LinearClassifier readModel(String version) {
    return new ModelStore(conf).read(modelDir(version));
  }

  /** All complete versions (those with a {@code version.json}), oldest first. */
  public List<String> versions() throws IOException {
    List<String> names = new ArrayList<>();
    for (String name : versionFolders()) {
      if (!renameIsCopy || fs.exists(new Path(new Path(root, name), VERSION_FILE))) {
        names.add(name); // elsewhere a version folder only appears whole
      }
    }
    return names;
  }

  /** Every folder named like a version, complete or not (on an object store, one a killed run left), sorted. */
  private List<String> versionFolders() throws IOException {
    List<String> names = new ArrayList<>();
    if (!fs.exists(root)) {
      return names;
    }
    for (FileStatus s : fs.listStatus(root)) {
      String name = s.getPath().getName();
      if (s.isDirectory() && VERSION_NAME.matcher(name).matches()) {
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  public VersionRecord record(String version) throws IOException {
    Path file = new Path(new Path(root, version), VERSION_FILE);
    try {
      Map<String, Object> json = JSON.readValue(HadoopFiles.readSmall(fs, file, 1 << 24),
          new TypeReference<LinkedHashMap<String, Object>>() {});
      return VersionRecord.fromJson(version, json);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new BadInputException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The version an earlier run with this id wrote, if any: re-running a run id does not make a second version. */
  public Optional<VersionRecord> findRun(String runId) throws IOException {
    for (String v : versions()) {
      VersionRecord r = record(v);
      if (r.runId().equals(runId)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * Takes the registry's lock (see {@link RegistryLock}), creating the registry directory if needed. On an object
   * store, first makes sure the store honours conditional writes, and refuses the registry otherwise.
   */
  public RegistryLock lock(String runId, Duration expiry) throws IOException {
    if (renameIsCopy) {
      ConditionalWrites.requireHonoured(fs, root, "a model registry");
    }
    fs.mkdirs(root);
    return RegistryLock.acquire(fs, new Path(root, LOCK_FILE), runId, expiry);
  }

  /**
   * Writes a new version, numbered after the newest one, and returns its record. The caller holds the lock.
   *
   * @param details metrics, provenance and configuration to store in {@code version.json}
   */
  public VersionRecord writeVersion(RegistryLock lock, LinearClassifier model, String runId, String parent,
      boolean promote, String reason, Map<String, Object> details) throws IOException {
    lock.verifyHeld();
    List<String> existing = versionFolders();
    int next = existing.isEmpty() ? 1 : Integer.parseInt(existing.get(existing.size() - 1).substring(1)) + 1;
    String version = String.format("v%06d", next);
    Path target = new Path(root, version);
    Map<String, Object> json = VersionRecord.toJson(version, runId, parent, promote, reason, details);
    if (renameIsCopy) {
      writeVersionInPlace(lock, model, target, json);
      return VersionRecord.fromJson(version, json);
    }
    Path staging = new Path(root, ".staging-" + version + "-" + UUID.randomUUID());
    try {
      new ModelStore(conf).write(model, new Path(staging, MODEL_DIR).toString(), false);
      try (OutputStream out = fs.create(new Path(staging, VERSION_FILE), false)) {
        JSON.writeValue(out, json);
      }
      lock.verifyHeld();
      if (fs.exists(target)) {
        throw new IOException(target + " appeared while this run held the lock; the registry was changed by hand?");
      }
      if (!fs.rename(staging, target)) {
        throw new IOException("could not rename " + staging + " to " + target);
      }
    } finally {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
      }
    }
    return VersionRecord.fromJson(version, json);
  }

  /** An object store's version: the model first, then version.json, created only if absent, as the commit. */
  private void writeVersionInPlace(RegistryLock lock, LinearClassifier model, Path target, Map<String, Object> json)
      throws IOException {
    new ModelStore(conf).write(model, new Path(target, MODEL_DIR).toString(), false);
    lock.verifyHeld();
    if (!ConditionalWrites.createIfAbsent(fs, new Path(target, VERSION_FILE), JSON.writeValueAsString(json))) {
      throw new IOException(target + " was completed by someone else while this run held the lock; the registry was"
          + " changed by hand?");
    }
  }

  /**
   * Makes {@code version} current, provided {@code CURRENT} still names {@code expected} (null: no CURRENT yet): a
   * compare-and-swap under the lock, so a run never replaces a version it was not compared with.
   */
  public void promote(RegistryLock lock, String version, String expected) throws IOException {
    lock.verifyHeld();
    String actual = current().orElse(null);
    if (!java.util.Objects.equals(actual, expected)) {
      throw new RegistryBusyException("CURRENT moved from " + expected + " to " + actual + " while this run worked;"
          + " " + version + " was written but not promoted");
    }
    HadoopFiles.replaceAtomically(fs, new Path(root, CURRENT_FILE), version + "\n");
  }

  /** Versions that a run chose to promote but that never became current, newest first: the traces of crashes. */
  public List<VersionRecord> unfinishedPromotions() throws IOException {
    String current = current().orElse(null);
    List<VersionRecord> pending = new ArrayList<>();
    List<String> all = versions();
    for (int i = all.size() - 1; i >= 0; i--) {
      VersionRecord r = record(all.get(i));
      if (r.version().equals(current)) {
        break;
      }
      if (r.promote() && java.util.Objects.equals(r.parent(), current)) {
        pending.add(r);
      }
    }
    return pending;
  }
}
