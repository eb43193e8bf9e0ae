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
import org.sparklinear.io.ConditionalWrites;
import org.sparklinear.io.HadoopFiles;

/**
 * A lease on a registry: a {@code LOCK} file created atomically (exactly one of two runs gets it), whose modification
 * time the holder refreshes while it works. A lock whose holder stopped refreshing it for longer than the expiry (a
 * killed driver, a lost machine) is broken by the next run, so one crash does not block every later night.
 *
 * <p>On an object store (S3) the same protocol runs on conditional writes instead of renames and timestamps: the lock
 * is created with {@code If-None-Match}, refreshed by rewriting it with a new heartbeat count under {@code If-Match}
 * its last etag (a store cannot set an object's time), and a stale lock is broken by overwriting it under
 * {@code If-Match} the etag that was judged stale, so of two runs breaking it one wins and a holder that refreshed
 * meanwhile keeps it.
 */
public final class RegistryLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryLock.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LOCK_BYTES = 1 << 16;

  private final FileSystem fs;
  private final Path path;
  private final Holder holder;
  private final boolean objectStore;
  private final ScheduledExecutorService heartbeat;
  /** On an object store: the etag of the lock as this run last wrote it, for the next conditional refresh. */
  private volatile String etag;
  private long heartbeats;

  private RegistryLock(FileSystem fs, Path path, Holder holder, Duration expiry) throws IOException {
    this.fs = fs;
    this.path = path;
    this.holder = holder;
    this.objectStore = ConditionalWrites.renameIsCopy(fs);
    this.etag = objectStore ? ConditionalWrites.etag(fs.getFileStatus(path)) : null;
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
    Holder me = new Holder(runId, UUID.randomUUID().toString(), Instant.now().toString());
    String content = me.describe(0);
    if (HadoopFiles.createExclusive(fs, path, content)) {
      return new RegistryLock(fs, path, me, expiry);
    }
    FileStatus status;
    String holder;
    try {
      Seen seen = look(fs, path);
      status = seen.status();
      holder = seen.text();
    } catch (java.io.FileNotFoundException e) {
      // released between our attempt and our look: try once more
      if (HadoopFiles.createExclusive(fs, path, content)) {
        return new RegistryLock(fs, path, me, expiry);
      }
      throw new RegistryBusyException(path + " was taken by another run just now; try again later");
    }
    long silentMs = System.currentTimeMillis() - status.getModificationTime();
    if (silentMs <= expiry.toMillis()) {
      throw new RegistryBusyException("another retrain holds the registry (" + path + ": " + summary(holder)
          + ", last heartbeat " + silentMs / 1000 + " s ago); this run changed nothing. Try again later");
    }
    if (ConditionalWrites.renameIsCopy(fs)) {
      // overwrite exactly the stale object: fails if its holder refreshed it or another run broke it first
      if (ConditionalWrites.replaceIfUnchanged(fs, path, ConditionalWrites.etag(status), content)) {
        LOG.warn("broke a stale registry lock: {} stopped refreshing {} {} s ago (killed or lost?)", summary(holder),
            path, silentMs / 1000);
        return new RegistryLock(fs, path, me, expiry);
      }
      throw new RegistryBusyException(path + " changed while this run was breaking a stale lock (its holder woke up,"
          + " or another run broke it first); this run changed nothing. Try again later");
    }
    breakStale(fs, path, holder, silentMs);
    if (HadoopFiles.createExclusive(fs, path, content)) {
      return new RegistryLock(fs, path, me, expiry);
    }
    throw new RegistryBusyException(path + " was taken by another run just after the stale lock was broken; this run"
        + " changed nothing. Try again later");
  }

  /** The lock file's status and its text, read as one look. */
  private record Seen(FileStatus status, String text) {}

  /** Reads of the lock in one look before its error stands: a holder rewrites it only a few times per expiry. */
  private static final int LOOKS = 3;

  /**
   * The lock's status and text. An object store's reader is pinned to the object version its first request saw, so a
   * heartbeat that rewrites the lock between that request and the read fails the read (S3: HTTP 412); the pair is
   * then read again. A missing lock is reported as such at once.
   */
  private static Seen look(FileSystem fs, Path path) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        FileStatus status = fs.getFileStatus(path);
        return new Seen(status, HadoopFiles.readSmall(fs, path, MAX_LOCK_BYTES));
      } catch (java.io.FileNotFoundException e) {
        throw e;
      } catch (IOException e) {
        if (attempt == LOOKS) {
          throw e;
        }
        LOG.info("reading the registry lock {} again: it changed while being read ({})", path, e.getMessage());
      }
    }
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
      content = look(fs, path).text(); // this run's own heartbeat may be rewriting it
    } catch (java.io.FileNotFoundException e) {
      throw new RegistryBusyException(path + " disappeared: this run's lock was broken (it was silent for longer than"
          + " --lock-expiry?); not changing the registry");
    }
    if (!content.contains(holder.nonce())) {
      throw new RegistryBusyException("this run lost " + path + " to " + summary(content) + " (it was silent for longer"
          + " than --lock-expiry?); not changing the registry");
    }
  }

  private void refresh() {
    try {
      if (!objectStore) {
        fs.setTimes(path, System.currentTimeMillis(), -1);
      } else if (ConditionalWrites.replaceIfUnchanged(fs, path, etag, holder.describe(++heartbeats))) {
        etag = ConditionalWrites.etag(fs.getFileStatus(path)); // a new count, so a new etag: stale judgements fail
      } else {
        LOG.warn("lost the registry lock {}: it was changed by another run (silent for longer than --lock-expiry?)",
            path);
        heartbeat.shutdown(); // verifyHeld reports it before the next change
      }
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
      if (look(fs, path).text().contains(holder.nonce())) {
        fs.delete(path, false);
      }
    } catch (java.io.FileNotFoundException e) {
      // already broken by another run, which verifyHeld reported
    }
  }

  /** Who holds a lock; its text carries a heartbeat count where refreshing means rewriting (object stores). */
  private record Holder(String runId, String nonce, String started) {
    String describe(long heartbeat) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("runId", runId);
      m.put("host", hostName());
      m.put("pid", ProcessHandle.current().pid());
      m.put("started", started);
      m.put("jvm", ManagementFactory.getRuntimeMXBean().getName());
      m.put("nonce", nonce);
      if (heartbeat > 0) {
        m.put("heartbeat", heartbeat);
      }
      try {
        return JSON.writeValueAsString(m) + "\n";
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
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
