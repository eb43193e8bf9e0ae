package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.BadInputException;
import org.sparklinear.TestSupport;
import org.sparklinear.io.S3TestServer;
import org.sparklinear.registry.ModelRegistry;
import org.sparklinear.registry.RegistryBusyException;
import org.sparklinear.registry.RegistryLock;

/**
 * The retraining registry on an S3 server that honours conditional writes (moto's server, If-None-Match and
 * If-Match on PUT): versions, CURRENT and an exclusive, refreshed, breakable lock without any rename.
 */
class S3RegistryTest {
  @TempDir static Path base;
  static S3TestServer s3;
  static FileSystem fs;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3TestServer.moto(base, "slc-moto");
    s3.applyToSpark();
    fs = FileSystem.get(URI.create(s3.uri("")), s3.hadoopConf());
    s3.upload(fs, TestSupport.samples().resolve("cifar"), "data/cifar");
    for (String cls : org.sparklinear.samples.SampleImageGenerator.CLASSES) {
      for (int i = 1; i <= 3; i++) {
        String name = String.format("%04d.png", i);
        s3.upload(fs, TestSupport.samples().resolve("images").resolve(cls).resolve(name),
            "data/images/" + cls + "/" + name);
      }
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    S3TestServer.stop(s3, fs);
  }

  @Test
  void retrainKeepsAVersionedRegistryOnS3() throws Exception {
    String registry = s3.uri("registry");
    String[] common = {"retrain", "--registry", registry, "--data", s3.uri("data/cifar"), "--holdout",
        s3.uri("data/images"), "--epochs", "2", "--master", "local[2]"};
    CommandLineTest.SecondNight night = CommandLineTest.retrainTwice(common);
    JsonNode promoted = night.result();
    assertEquals("promoted", promoted.get("outcome").asText());
    try (InputStream in = fs.open(s3.path("registry/CURRENT"))) {
      assertEquals("v000002", new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
    assertEquals(List.of("CURRENT", "v000001", "v000002"), s3.names(fs, "registry"),
        "no lock, probe, staging or temporary objects are left");
    assertEquals(List.of("model", "version.json"), s3.names(fs, "registry/v000002"));
    JsonNode replay = new ObjectMapper().readTree(CommandLineTest.run(0, night.args()));
    assertTrue(replay.get("replayed").asBoolean());

    // a version folder without version.json (a run killed while writing it) is not a version
    fs.create(s3.path("registry/v000003/model/weights.bin")).close();
    ModelRegistry r = new ModelRegistry(registry, s3.hadoopConf());
    assertEquals(List.of("v000001", "v000002"), r.versions());
    assertEquals("v000002", r.current().orElseThrow());
  }

  @Test
  void theLockIsExclusiveRefreshedAndBrokenOnlyWhenStale() throws Exception {
    ModelRegistry r = new ModelRegistry(s3.uri("locks"), s3.hadoopConf());
    assertEquals(1, org.sparklinear.registry.LockRace.winners(r, 8),
        "If-None-Match lets exactly one of 8 racing runs take the lock");

    // S3 cannot set an object's time: the holder's heartbeat rewrites the lock (If-Match), which keeps it alive
    Duration expiry = Duration.ofSeconds(2); // S3 times have whole seconds
    RegistryLock holder = r.lock("holder", expiry);
    Thread.sleep(3_500);
    assertThrows(RegistryBusyException.class, () -> r.lock("too-early", expiry));
    holder.verifyHeld();
    // a holder that stops refreshing (a killed driver) loses the lock to the next run once it is stale
    holder.stopRefreshing();
    Thread.sleep(3_500);
    try (RegistryLock next = r.lock("next", expiry)) {
      next.verifyHeld();
      assertThrows(RegistryBusyException.class, holder::verifyHeld);
    }
    assertEquals(List.of(), s3.names(fs, "locks"), "released, and no probe objects left");
  }

  @Test
  void aClientWithConditionalWritesSwitchedOffIsRefusedARegistry() {
    Configuration conf = s3.hadoopConf();
    conf.setBoolean("fs.s3a.create.conditional.enabled", false);
    conf.setBoolean("fs.s3a.impl.disable.cache", true); // a client of its own, with this setting
    BadInputException refused = assertThrows(BadInputException.class,
        () -> new ModelRegistry(s3.uri("off"), conf).lock("off", Duration.ofMinutes(1)));
    assertTrue(refused.getMessage().contains("offers no conditional writes"), refused.getMessage());
  }
}
