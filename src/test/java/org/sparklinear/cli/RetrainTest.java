package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.data.CifarBinaryFormat;
import org.sparklinear.registry.ModelRegistry;
import org.sparklinear.registry.RegistryLock;
import org.sparklinear.registry.VersionRecord;
import org.sparklinear.samples.SampleImageGenerator;

/**
 * {@code retrain} as a scheduler runs it, night after night, on real Spark in local mode: first version, warm-started
 * promotion, idempotent re-run, a worse model kept out, a crash before the pointer moved, and a busy registry.
 */
class RetrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path day1;
  static Path grown;
  static Path corrupted;
  static Path holdout;

  /** Day 1: a little data. Day 2: day 1 plus more. Corrupted: day 2 with every label shifted to another class. */
  @BeforeAll
  static void generateData() throws IOException {
    SampleImageGenerator.generate(tmp.resolve("gen1"), 8, 11);
    SampleImageGenerator.generate(tmp.resolve("gen2"), 40, 12);
    SampleImageGenerator.generate(tmp.resolve("gen3"), 30, 13);
    day1 = cifarFolder("day1", List.of(tmp.resolve("gen1/cifar")));
    grown = cifarFolder("grown", List.of(tmp.resolve("gen1/cifar"), tmp.resolve("gen2/cifar")));
    holdout = cifarFolder("holdout", List.of(tmp.resolve("gen3/cifar")));
    corrupted = cifarFolder("corrupted", List.of(tmp.resolve("gen2/cifar")));
    Path bin = corrupted.resolve("part-0.bin");
    byte[] records = Files.readAllBytes(bin);
    for (int i = 0; i < records.length; i += CifarBinaryFormat.RECORD_BYTES) {
      records[i] = (byte) ((records[i] + 1) % SampleImageGenerator.CLASSES.size());
    }
    Files.write(bin, records);
  }

  private static Path cifarFolder(String name, List<Path> sources) throws IOException {
    Path out = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < sources.size(); i++) {
      Files.copy(sources.get(i).resolve(SampleImageGenerator.SAMPLES_FILE), out.resolve("part-" + i + ".bin"));
    }
    Files.copy(sources.get(0).resolve(CifarBinaryFormat.META_FILE), out.resolve(CifarBinaryFormat.META_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    return out;
  }

  private static JsonNode retrain(int expectedExit, Path registry, Path data, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("retrain", "--registry", registry.toString(), "--data",
        data.toString(), "--holdout", holdout.toString(), "--batch-size", "32", "--master", "local[2]"));
    args.addAll(List.of(extra));
    String stdout = CommandLineTest.run(expectedExit, args.toArray(String[]::new));
    List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one JSON line on stdout: " + stdout);
    return JSON.readTree(lines.get(0));
  }

  private static String current(Path registry) throws IOException {
    return Files.readString(registry.resolve(ModelRegistry.CURRENT_FILE)).trim();
  }

  private static JsonNode versionJson(Path registry, String version) throws IOException {
    return JSON.readTree(registry.resolve(version).resolve(ModelRegistry.VERSION_FILE).toFile());
  }

  private static List<String> versions(Path registry) throws IOException {
    return new ModelRegistry(registry.toString(), new Configuration()).versions();
  }

  @Test
  void nightlyRunsPromoteWarmStartedModelsKeepWorseOnesAndNeverTrainTwice() throws IOException {
    Path registry = tmp.resolve("registry");

    JsonNode first = retrain(0, registry, day1);
    assertEquals("promoted", first.get("outcome").asText());
    assertEquals("v000001", first.get("version").asText());
    assertEquals("v000001", current(registry));
    JsonNode v1 = versionJson(registry, "v000001");
    assertTrue(v1.get("parent").isNull() && v1.get("warmStartFrom").isNull());
    assertEquals(first.get("runId").asText(), v1.get("runId").asText());
    assertEquals(Main.version(), v1.get("codeVersion").asText());
    assertEquals("32", v1.get("configuration").get("batch-size").asText());
    JsonNode files = v1.get("data").get("fileList");
    assertEquals(2, files.size(), files.toString()); // batches.meta.txt and part-0.bin
    JsonNode part = files.get(1);
    assertTrue(part.get("path").asText().endsWith("day1/part-0.bin"), part.toString());
    assertEquals(Files.size(day1.resolve("part-0.bin")), part.get("bytes").asLong());
    assertEquals(Files.getLastModifiedTime(day1.resolve("part-0.bin")).toInstant().truncatedTo(
        java.time.temporal.ChronoUnit.MILLIS).toString(),
        part.get("modified").asText());
    assertEquals(150, v1.get("holdout").get("examples").asLong());
    assertTrue(v1.get("holdout").get("currentAccuracy").isNull());

    JsonNode second = retrain(0, registry, grown);
    assertEquals("promoted", second.get("outcome").asText(), second.toString());
    assertEquals("v000002", current(registry));
    JsonNode v2 = versionJson(registry, "v000002");
    assertEquals("v000001", v2.get("parent").asText());
    assertEquals("v000001", v2.get("warmStartFrom").asText());
    assertEquals(3, v2.get("data").get("files").asInt());
    double v2Accuracy = v2.get("holdout").get("candidateAccuracy").asDouble();
    assertTrue(v2Accuracy >= 0.9, "v2 holdout accuracy " + v2Accuracy);
    assertEquals(v1.get("holdout").get("candidateAccuracy").asDouble(),
        v2.get("holdout").get("currentAccuracy").asDouble(), 1e-12, "v1 is scored on the same holdout");

    JsonNode again = retrain(0, registry, grown);
    assertTrue(again.get("replayed").asBoolean());
    assertEquals("v000002", again.get("version").asText());
    assertEquals(List.of("v000001", "v000002"), versions(registry), "the same run id makes no second version");

    JsonNode worse = retrain(ExitCode.KEPT_CURRENT, registry, corrupted);
    assertEquals("kept", worse.get("outcome").asText());
    assertEquals("v000002", worse.get("current").asText());
    assertEquals("v000002", current(registry));
    JsonNode v3 = versionJson(registry, "v000003");
    assertEquals("keep", v3.get("decision").asText());
    assertTrue(v3.get("holdout").get("candidateAccuracy").asDouble() < v2Accuracy - 0.005, v3.toString());
    assertTrue(v3.get("reason").asText().contains("beyond --max-regression"), v3.get("reason").asText());

    // evaluate and predict take the registry itself and use the current version
    JsonNode evaluated = JSON.readTree(CommandLineTest.run(0, "evaluate", "--model", registry.toString(), "--data",
        holdout.toString(), "--json", "--master", "local[2]"));
    assertEquals(v2Accuracy, evaluated.get("accuracy").asDouble(), 1e-12);
  }

  @Test
  void aRunKilledBeforeMovingThePointerLeavesCurrentValidAndItsRerunFinishesThePromotion() throws Exception {
    Path registry = tmp.resolve("crash-registry");
    retrain(0, registry, day1, "--run-id", "night-1");
    ModelRegistry r = new ModelRegistry(registry.toString(), new Configuration());
    // night 2 dies right after writing its version: its lock stays behind, unrefreshed, and CURRENT is untouched
    RegistryLock dead = r.lock("night-2", Duration.ofMinutes(10));
    VersionRecord written = r.writeVersion(dead, r.readModel("v000001"), "night-2", "v000001", true, "better",
        Map.of());
    Files.setLastModifiedTime(registry.resolve(ModelRegistry.LOCK_FILE),
        FileTime.fromMillis(System.currentTimeMillis() - 120_000));
    dead.stopRefreshing();

    assertEquals("v000001", current(registry));
    JsonNode served = JSON.readTree(CommandLineTest.run(0, "evaluate", "--model", registry.toString(), "--data",
        holdout.toString(), "--json", "--master", "local[2]"));
    assertTrue(served.get("accuracy").asDouble() > 0.5, served.toString());

    JsonNode rerun = retrain(0, registry, grown, "--run-id", "night-2", "--lock-expiry", "60");
    assertTrue(rerun.get("replayed").asBoolean());
    assertEquals(written.version(), rerun.get("version").asText());
    assertEquals("v000002", current(registry));
    assertEquals(List.of("v000001", "v000002"), versions(registry));
    assertFalse(Files.exists(registry.resolve(ModelRegistry.LOCK_FILE)));
  }

  @Test
  void aSecondRunWhileOneHoldsTheRegistryChangesNothingAndSaysSo() throws Exception {
    Path registry = tmp.resolve("busy-registry");
    ModelRegistry r = new ModelRegistry(registry.toString(), new Configuration());
    try (RegistryLock holder = r.lock("the-other-run", Duration.ofMinutes(10))) {
      List<String> args = List.of("retrain", "--registry", registry.toString(), "--data", day1.toString(),
          "--holdout", holdout.toString(), "--master", "local[2]");
      String stdout = CommandLineTest.run(ExitCode.REGISTRY_BUSY, args.toArray(String[]::new));
      assertTrue(stdout.isBlank(), stdout);
      holder.verifyHeld();
    }
    assertEquals(List.of(), versions(registry));
    assertFalse(Files.exists(registry.resolve(ModelRegistry.CURRENT_FILE)));
  }

  @Test
  void aColdRunOnOtherClassesIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path registry = tmp.resolve("classes-registry");
    retrain(0, registry, day1);
    Path renamed = cifarFolder("renamed", List.of(tmp.resolve("gen2/cifar")));
    Files.writeString(renamed.resolve(CifarBinaryFormat.META_FILE), "a\nb\nc\nd\ne\n");
    String stdout = CommandLineTest.run(ExitCode.BAD_INPUT, "retrain", "--registry", registry.toString(), "--data",
        renamed.toString(), "--holdout", holdout.toString(), "--cold", "--master", "local[2]");
    assertTrue(stdout.isBlank(), stdout);
    assertEquals(List.of("v000001"), versions(registry));
  }
}
