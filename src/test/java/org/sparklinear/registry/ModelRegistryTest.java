package org.sparklinear.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.BadInputException;
import org.sparklinear.data.ImageShape;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.preprocess.Scaling;

/** The registry's files, lock and pointer on the local file system, without Spark. */
class ModelRegistryTest {
  private static final Duration LONG = Duration.ofMinutes(10);
  @TempDir Path dir;

  private ModelRegistry registry() {
    return new ModelRegistry(dir.resolve("registry").toString(), new Configuration());
  }

  static LinearClassifier model(double fill) {
    ImageShape shape = new ImageShape(1, 2, 2);
    double[] params = new double[LinearWeights.parameterCount(2, 4)];
    java.util.Arrays.fill(params, fill);
    return new LinearClassifier(List.of("a", "b"), shape, new Preprocessor(Scaling.UNIT, new float[4],
        new float[] {1, 1, 1, 1}), LossKind.SOFTMAX, 1.0, new LinearWeights(2, 4, params), ModelMetadata.none());
  }

  @Test
  void versionsAreNumberedImmutableFoldersAndCurrentIsACompareAndSwap() throws Exception {
    ModelRegistry r = registry();
    assertEquals(Optional.empty(), r.current());
    try (RegistryLock lock = r.lock("run-1", LONG)) {
      VersionRecord v1 = r.writeVersion(lock, model(0.5), "run-1", null, true, "first", Map.of("k", 1));
      assertEquals("v000001", v1.version());
      r.promote(lock, v1.version(), null);
    }
    assertEquals(Optional.of("v000001"), r.current());
    assertEquals(0.5, r.readModel("v000001").weights().parameters()[0]);
    try (RegistryLock lock = r.lock("run-2", LONG)) {
      VersionRecord v2 = r.writeVersion(lock, model(0.7), "run-2", "v000001", true, "better", Map.of());
      assertEquals("v000002", v2.version());
      // another run's expectation of CURRENT is stale: no swap
      RegistryBusyException lost = assertThrows(RegistryBusyException.class, () -> r.promote(lock, "v000002", null));
      assertTrue(lost.getMessage().contains("CURRENT moved"), lost.getMessage());
      assertEquals(Optional.of("v000001"), r.current());
      r.promote(lock, "v000002", "v000001");
    }
    assertEquals(Optional.of("v000002"), r.current());
    assertEquals("run-1", r.findRun("run-1").orElseThrow().runId());
    assertEquals(Optional.empty(), r.findRun("run-3"));
    assertEquals(List.of("v000001", "v000002"), r.versions());
    try (var files = Files.list(dir.resolve("registry"))) {
      assertEquals(List.of("CURRENT", "v000001", "v000002"), files.map(p -> p.getFileName().toString()).sorted()
          .toList(), "no lock, staging or temporary files are left");
    }
  }

  @Test
  void crashBetweenWritingAVersionAndMovingThePointerLeavesCurrentValid() throws Exception {
    ModelRegistry r = registry();
    try (RegistryLock lock = r.lock("run-1", LONG)) {
      r.promote(lock, r.writeVersion(lock, model(0.5), "run-1", null, true, "first", Map.of()).version(), null);
    }
    // the state a kill -9 right after writeVersion leaves: the version, a lock nobody refreshes, the old pointer
    RegistryLock crashed = r.lock("run-2", LONG);
    r.writeVersion(crashed, model(0.9), "run-2", "v000001", true, "better", Map.of());
    abandon(crashed);

    assertEquals(Optional.of("v000001"), r.current());
    assertEquals(0.5, r.readModel(r.current().orElseThrow()).weights().parameters()[0]);
    assertEquals(List.of("v000002"), r.unfinishedPromotions().stream().map(VersionRecord::version).toList());
    // the lock of the dead run blocks until it expires, then the next run takes over
    assertThrows(RegistryBusyException.class, () -> r.lock("run-3", LONG).close());
    ageLock(Duration.ofMinutes(11));
    try (RegistryLock next = r.lock("run-3", LONG)) {
      r.promote(next, "v000002", "v000001");
    }
    assertEquals(Optional.of("v000002"), r.current());
  }

  /**
   * On S3 a read of the lock fails (HTTP 412) when the holder's heartbeat rewrites it between the reader's first
   * request and its read: the next run reads it again and reports a busy registry, not an I/O error.
   */
  @Test
  void aLockRewrittenWhileBeingReadIsReadAgain() throws Exception {
    org.apache.hadoop.fs.FileSystem local = org.apache.hadoop.fs.FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(dir.resolve("LOCK").toUri());
    try (RegistryLock holder = RegistryLock.acquire(local, lock, "holder", LONG)) {
      java.util.concurrent.atomic.AtomicInteger rewrites = new java.util.concurrent.atomic.AtomicInteger(2);
      org.apache.hadoop.fs.FileSystem store = new org.apache.hadoop.fs.FilterFileSystem(local) {
        @Override
        public org.apache.hadoop.fs.FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize)
            throws java.io.IOException {
          if (rewrites.getAndDecrement() > 0) {
            throw new java.io.IOException("At least one of the pre-conditions you specified did not hold (412)");
          }
          return super.open(f, bufferSize);
        }
      };
      RegistryBusyException busy = assertThrows(RegistryBusyException.class,
          () -> RegistryLock.acquire(store, lock, "next", LONG));
      assertTrue(busy.getMessage().contains("another retrain holds the registry") && busy.getMessage()
          .contains("run holder"), busy.getMessage());
      holder.verifyHeld();
    }
  }

  @Test
  void exactlyOneOfManyConcurrentRunsGetsTheLock() throws Exception {
    ModelRegistry r = registry();
    r.lock("warm-up", LONG).close(); // creates the directory
    int runs = 8;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<RegistryLock>> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String id = "run-" + i;
      Callable<RegistryLock> attempt = () -> {
        start.await();
        try {
          return r.lock(id, LONG);
        } catch (RegistryBusyException e) {
          assertTrue(e.getMessage().contains("another retrain holds the registry")
              || e.getMessage().contains("taken by another run"), e.getMessage());
          return null;
        }
      };
      results.add(pool.submit(attempt));
    }
    start.countDown();
    List<RegistryLock> winners = new ArrayList<>();
    for (Future<RegistryLock> f : results) {
      if (f.get() != null) {
        winners.add(f.get());
      }
    }
    pool.shutdown();
    assertEquals(1, winners.size());
    winners.get(0).close();
    assertFalse(Files.exists(dir.resolve("registry").resolve(ModelRegistry.LOCK_FILE)));
  }

  @Test
  void aLiveLockIsRefreshedAndNotBrokenAndALostLockStopsItsHolder() throws Exception {
    ModelRegistry r = registry();
    Duration shortExpiry = Duration.ofMillis(1500);
    try (RegistryLock live = r.lock("live", shortExpiry)) {
      // until the heartbeat has refreshed the lock twice the expiry after it was taken: only the heartbeat keeps it
      Path lockFile = dir.resolve("registry").resolve(ModelRegistry.LOCK_FILE);
      long taken = Files.getLastModifiedTime(lockFile).toMillis();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (Files.getLastModifiedTime(lockFile).toMillis() - taken < 2 * shortExpiry.toMillis()) {
        assertTrue(System.nanoTime() < deadline, "the heartbeat did not refresh the lock within 30 s");
        Thread.sleep(50);
      }
      assertThrows(RegistryBusyException.class, () -> r.lock("other", shortExpiry));
      live.verifyHeld();
    }
    RegistryLock silent = r.lock("silent", LONG);
    abandon(silent);
    ageLock(Duration.ofMinutes(11));
    try (RegistryLock taker = r.lock("taker", LONG)) {
      RegistryBusyException e = assertThrows(RegistryBusyException.class,
          () -> r.writeVersion(silent, model(1), "silent", null, true, "late", Map.of()));
      assertTrue(e.getMessage().contains("lost"), e.getMessage());
      assertEquals(List.of(), r.versions());
      taker.verifyHeld();
    }
  }

  @Test
  void aDamagedPointerIsReportedWithItsFile() throws Exception {
    ModelRegistry r = registry();
    Files.createDirectories(dir.resolve("registry"));
    Files.writeString(dir.resolve("registry/CURRENT"), "../../etc\n");
    BadInputException e = assertThrows(BadInputException.class, r::current);
    assertTrue(e.getMessage().contains("CURRENT") && e.getMessage().contains("does not name a version"),
        e.getMessage());
    Files.writeString(dir.resolve("registry/CURRENT"), "v000007\n");
    e = assertThrows(BadInputException.class, r::current);
    assertTrue(e.getMessage().contains("not a complete version"), e.getMessage());
  }

  /** Stops the heartbeat without releasing the file, as a killed process would. */
  private static void abandon(RegistryLock lock) {
    lock.stopRefreshing();
  }

  private void ageLock(Duration age) throws Exception {
    Files.setLastModifiedTime(dir.resolve("registry").resolve(ModelRegistry.LOCK_FILE),
        FileTime.fromMillis(System.currentTimeMillis() - age.toMillis()));
  }
}
