package org.sparklinear.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs that race for a registry's lock at the same moment, as concurrent retraining jobs would. */
public final class LockRace {
  private LockRace() {}

  /** How many of {@code racers} threads, released together, held the lock at once (released after all have tried). */
  public static int winners(ModelRegistry registry, int racers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RegistryLock>> attempts = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        String id = "racer-" + i;
        attempts.add(pool.submit(() -> {
          go.await();
          try {
            return registry.lock(id, Duration.ofMinutes(10));
          } catch (RegistryBusyException e) {
            return null;
          }
        }));
      }
      go.countDown();
      // every attempt ends before any winner releases: a release while a slow racer is still trying would let it
      // take the lock after the first, a second winner in turn rather than at once (seen on a loaded machine)
      List<RegistryLock> held = new ArrayList<>();
      for (Future<RegistryLock> attempt : attempts) {
        RegistryLock lock = attempt.get();
        if (lock != null) {
          held.add(lock);
        }
      }
      for (RegistryLock lock : held) {
        lock.close();
      }
      return held.size();
    } finally {
      pool.shutdown();
    }
  }
}
