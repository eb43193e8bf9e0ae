package org.sparklinear.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.io.HadoopFiles;

/**
 * A lease on a registry: a {@code LOCK} file created atomically (exactly one of two runs gets it), whose modification
 * time the holder refreshes while it works. A lock whose holder stopped refreshing it for longer than the expiry (a
 * killed driver, a lost machine) is broken by the next run, so one crash does not block every later night.
 */
public final class RegistryLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryLock.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LOCK_BYTES = 1 << 16;

  private final FileSystem fs;
  private final Path path;
  private final String nonce;
  private final ScheduledExecutorService heartbeat;

  private RegistryLock(FileSystem fs, Path path, String nonce, Duration expiry) {
    this.fs = fs;
    this.path = path;
    this.nonce = nonce;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "registry-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long periodMs = Math.max(200, expiry.toMillis() / 4);
    heartbeat.scheduleAtFixedRate(this::refresh, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock for {@code runId}, breaking a lock whose holder has been silent for longer than {@code expiry}.
   *
   * @throws RegistryBusyException when a live run holds it
   */
  public static RegistryLock acquire(FileSystem fs, Path path, String runId, Duration expiry) throws IOException {
    String nonce = UUID.randomUUID().toString();
    String content = describeHolder(runId, nonce);
    if (HadoopFiles.createExclusive(fs, path, content)) {
      return new RegistryLock(fs, path, nonce, expiry);
    }
    FileStatus status;
    String holder;
    try {
      status = fs.getFileStatus(path);
      holder = HadoopFiles.readSmall(fs, path, MAX_LOCK_BYTES);
    } catch (java.io.FileNotFoundException e) {
      // released between our attempt and our look: try once more
      if (HadoopFiles.createExclusive(fs, path, content)) {
        return new RegistryLock(fs, path, nonce, expiry);
      }
      throw new RegistryBusyException(path + " was taken by another run just now; try again later");
    }
    long silentMs = System.currentTimeMillis() - status.getModificationTime();
    if (silentMs <= expiry.toMillis()) {
      throw new RegistryBusyException("another retrain holds the registry (" + path + ": " + summary(holder)
          + ", last heartbeat " + silentMs / 1000 + " s ago); this run changed nothing. Try again later");
    }
    breakStale(fs, path, holder, silentMs);
    if (HadoopFiles.createExclusive(fs, path, content)) {
      return new RegistryLock(fs, path, nonce, expiry);
    }
    throw new RegistryBusyException(path + " was taken by another run just after the stale lock was broken; this run"
        + " changed nothing. Try again later");
  }

  /** Moves a stale lock aside; if the file moved turns out to be a fresh lock of a third run, puts it back. */
  private static void breakStale(FileSystem fs, Path path, String staleContent, long silentMs) throws IOException {
    Path aside = new Path(path.getParent(), "." + path.getName() + ".stale-" + UUID.randomUUID());
    if (!fs.rename(path, aside)) {
      return; // someone else broke or released it; the exclusive create decides
    }
    String moved = HadoopFiles.readSmall(fs, aside, MAX_LOCK_BYTES);
    if (!moved.equals(staleContent)) {
      fs.rename(aside, path);
      throw new RegistryBusyException("another run took " + path + " while this one was breaking a stale lock ("
          + summary(moved) + "); this run changed nothing. Try again later");
    }
    fs.delete(aside, false);
    LOG.warn("broke a stale registry lock: {} stopped refreshing {} {} s ago (killed or lost?)", summary(staleContent),
        path, silentMs / 1000);
  }

  /** Fails unless this run still holds the lock: called right before every change to the registry. */
  public void verifyHeld() throws IOException {
    String content;
    try {
      content = HadoopFiles.readSmall(fs, path, MAX_LOCK_BYTES);
    } catch (java.io.FileNotFoundException e) {
      throw new RegistryBusyException(path + " disappeared: this run's lock was broken (it was silent for longer than"
          + " --lock-expiry?); not changing the registry");
    }
    if (!content.contains(nonce)) {
      throw new RegistryBusyException("this run lost " + path + " to " + summary(content) + " (it was silent for longer"
          + " than --lock-expiry?); not changing the registry");
    }
  }

  private void refresh() {
    try {
      fs.setTimes(path, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not refresh the registry lock {}: {}", path, e.toString());
    }
  }

  /** Stops refreshing the lock without releasing it: what a killed process leaves behind (for tests of recovery). */
  public void stopRefreshing() {
    heartbeat.shutdownNow();
  }

  @Override
  public void close() throws IOException {
    heartbeat.shutdownNow();
    try {
      if (HadoopFiles.readSmall(fs, path, MAX_LOCK_BYTES).contains(nonce)) {
        fs.delete(path, false);
      }
    } catch (java.io.FileNotFoundException e) {
      // already broken by another run, which verifyHeld reported
    }
  }

  private static String describeHolder(String runId, String nonce) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", runId);
    m.put("host", hostName());
    m.put("pid", ProcessHandle.current().pid());
    m.put("started", Instant.now().toString());
    m.put("jvm", ManagementFactory.getRuntimeMXBean().getName());
    m.put("nonce", nonce);
    try {
      return JSON.writeValueAsString(m) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String summary(String content) {
    try {
      Map<?, ?> m = JSON.readValue(content, Map.class);
      return "run " + m.get("runId") + " on " + m.get("host") + " (pid " + m.get("pid") + ", started " + m.get("started")
          + ")";
    } catch (IOException e) {
      return "an unreadable lock file";
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
