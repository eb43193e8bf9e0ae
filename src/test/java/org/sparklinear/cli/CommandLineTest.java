package org.sparklinear.cli;

import org.sparklinear.config.OptionCatalog;
import org.sparklinear.config.OptionSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options, defaults and help: everything before Spark starts. */
class CommandLineTest {
  private final OptionCatalog catalog = OptionCatalog.load();

  /**
   * {@code retrain} twice on the same registry, as two nightly runs: the first makes v000001, the second (run id
   * night-2, any regression allowed) is promoted to v000002. Returns the second run's JSON line and arguments.
   */
  static SecondNight retrainTwice(String... common) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    org.junit.jupiter.api.Assertions.assertEquals("v000001", json.readTree(run(0, common)).get("version").asText());
    String[] second = java.util.Arrays.copyOf(common, common.length + 4);
    System.arraycopy(new String[] {"--run-id", "night-2", "--max-regression", "1"}, 0, second, common.length, 4);
    com.fasterxml.jackson.databind.JsonNode promoted = json.readTree(run(0, second));
    org.junit.jupiter.api.Assertions.assertEquals("v000002", promoted.get("version").asText());
    return new SecondNight(promoted, second);
  }

  record SecondNight(com.fasterxml.jackson.databind.JsonNode result, String[] args) {}

  static String run(int expectedExit, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertEquals(expectedExit, code, "exit code of " + String.join(" ", args) + "; stdout: " + stdout);
    return stdout;
  }

  @Test
  void everyOptionOfEveryCommandHasADocumentedDefault() {
    for (Command c : Main.commands(System.out).values()) {
      for (String name : c.options()) {
        OptionSpec spec = catalog.get(name);
        assertTrue(spec != null, c.name() + " uses --" + name + ", which conf/train.properties does not declare");
        assertFalse(spec.description().isBlank(), "--" + name + " has no help text");
      }
      String help = run(0, c.name(), "--help");
      for (String name : c.options()) {
        assertTrue(help.contains("--" + name), c.name() + " --help lacks --" + name);
      }
    }
    assertEquals("softmax", catalog.get("loss").defaultValue());
  }

  @Test
  void autoLearningRateIsTheLossDefaultThatTheConfigurationFileDocuments() {
    String doc = catalog.get("lr").description();
    for (org.sparklinear.loss.LossKind kind : org.sparklinear.loss.LossKind.values()) {
      assertTrue(doc.contains(kind.cliName() + " "
          + java.math.BigDecimal.valueOf(kind.defaultLearningRate()).stripTrailingZeros().toPlainString()), doc);
      Options o = Options.parse("train", List.of("--loss", kind.cliName()), catalog, new TrainCommand().options());
      assertEquals(kind.defaultLearningRate(), TrainCommand.config(o).learningRate());
    }
    Options explicit = Options.parse("train", List.of("--lr", "0.5"), catalog, new TrainCommand().options());
    assertEquals(0.5, TrainCommand.config(explicit).learningRate());
  }

  @Test
  void helpShowsDefaultsFromTheConfigurationFile() {
    String help = run(0, "train", "--help");
    assertTrue(help.contains("--batch-size") && help.contains("default: " + catalog.get("batch-size").defaultValue()),
        help);
    assertTrue(help.contains("--data X") && help.contains("required"), help);
    assertTrue(run(0, "--help").contains("evaluate"));
  }

  @Test
  void valuesResolveDefaultsThenConfFileThenFlags(@TempDir Path tmp) throws Exception {
    Path conf = tmp.resolve("my.properties");
    Files.writeString(conf, "epochs = 3\nlr = 0.5\n");
    Options o = Options.parse("train", List.of("--conf-file", conf.toString(), "--lr=0.25", "--nesterov", "--data",
        "d"), catalog, new TrainCommand().options());
    assertEquals(3, o.integer("epochs"));
    assertEquals(0.25, o.decimal("lr"));
    assertTrue(o.flag("nesterov"));
    assertEquals(catalog.get("batch-size").defaultValue(), o.string("batch-size"));
    assertEquals("d", o.required("data"));
  }

  @Test
  void unknownOptionsKeysAndBadValuesAreUsageErrors(@TempDir Path tmp) throws Exception {
    List<String> accepted = new TrainCommand().options();
    assertThrows(UsageException.class, () -> Options.parse("train", List.of("--lern-rate", "1"), catalog, accepted));
    assertThrows(UsageException.class, () -> Options.parse("train", List.of("--json"), catalog, accepted));
    assertThrows(UsageException.class, () -> Options.parse("train", List.of("--lr"), catalog, accepted));
    assertThrows(UsageException.class, () -> Options.parse("train", List.of("--lr", "1", "--lr", "2"), catalog,
        accepted));
    Path conf = tmp.resolve("bad.properties");
    Files.writeString(conf, "epochz = 3\n");
    UsageException e = assertThrows(UsageException.class,
        () -> Options.parse("train", List.of("--conf-file", conf.toString()), catalog, accepted));
    assertTrue(e.getMessage().contains("epochz"), e.getMessage());
    Options o = Options.parse("train", List.of("--epochs", "ten"), catalog, accepted);
    assertThrows(UsageException.class, () -> o.integer("epochs"));
    assertThrows(UsageException.class, () -> TrainCommand.config(
        Options.parse("train", List.of("--loss", "logistic"), catalog, accepted)));
    assertThrows(UsageException.class, () -> TrainCommand.config(
        Options.parse("train", List.of("--momentum", "1.5"), catalog, accepted)));
    UsageException average = assertThrows(UsageException.class, () -> TrainCommand.config(
        Options.parse("train", List.of("--average", "mean"), catalog, accepted)));
    assertTrue(average.getMessage().contains("--average: 'mean'"), average.getMessage());
    assertEquals(new org.sparklinear.optim.IterateAveraging(0.25), TrainCommand.config(
        Options.parse("train", List.of("--average", "tail:0.25"), catalog, accepted)).average());
  }

  @Test
  void cacheTakesMemoryDiskOrAutoAndRefusesWhatDiskCannotDo() {
    List<String> accepted = new TrainCommand().options();
    assertEquals(org.sparklinear.train.CacheMode.AUTO, TrainCommand.config(
        Options.parse("train", List.of(), catalog, accepted)).cache());
    assertEquals(org.sparklinear.train.CacheMode.DISK, TrainCommand.config(
        Options.parse("train", List.of("--cache", "disk"), catalog, accepted)).cache());
    assertEquals("memory", TrainCommand.config(Options.parse("train", List.of("--cache", "memory"), catalog,
        accepted)).toOptions().get("cache"));
    UsageException unknown = assertThrows(UsageException.class, () -> TrainCommand.config(
        Options.parse("train", List.of("--cache", "ssd"), catalog, accepted)));
    assertTrue(unknown.getMessage().contains("--cache must be memory, disk or auto, got 'ssd'"),
        unknown.getMessage());
    UsageException driver = assertThrows(UsageException.class, () -> TrainCommand.config(
        Options.parse("train", List.of("--cache", "disk", "--step-mode", "driver"), catalog, accepted)));
    assertTrue(driver.getMessage().contains("--step-mode driver"), driver.getMessage());
    assertThrows(UsageException.class, () -> TrainCommand.config(
        Options.parse("train", List.of("--cache", "disk", "--local-steps", "4"), catalog, accepted)));
    run(2, "train", "--data", "x", "--model-out", "y", "--cache", "ssd");
  }

  @Test
  void unknownCommandOptionAndMissingRequiredOptionExitWithTwo() {
    run(2, "fly");
    run(2, "train", "--data", "x", "--model-out", "y", "--bogus", "1");
    run(2, "train", "--data", "x");
    run(2, "evaluate", "--model", "m");
  }
}
