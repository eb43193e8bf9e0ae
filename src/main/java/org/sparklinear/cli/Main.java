package org.sparklinear.cli;

import org.sparklinear.config.OptionCatalog;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;
import org.sparklinear.registry.RegistryBusyException;
import org.sparklinear.train.InsufficientMemoryException;
import org.sparklinear.train.TrainingDivergedException;

/**
 * The command line: {@code <command> [--option value ...]}. The only place that parses arguments, prints results
 * and chooses exit codes; logs go to stderr, stdout carries only what a command promises.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out);
    // success returns instead of exiting: in YARN cluster mode the ApplicationMaster takes any System.exit, even 0,
    // for an early failure, and YARN runs the whole command again
    if (code != ExitCode.OK) {
      System.exit(code);
    }
  }

  static Map<String, Command> commands(PrintStream stdout) {
    Map<String, Command> commands = new LinkedHashMap<>();
    for (Command c : List.of(new TrainCommand(), new EvaluateCommand(stdout), new PredictCommand(),
        new RetrainCommand(stdout), new SweepCommand(stdout), new ReportCommand(), new GradCheckCommand(stdout), new GenerateSamplesCommand(),
        new PlaygroundCommand(), new ExportCommand())) {
      commands.put(c.name(), c);
    }
    return commands;
  }

  /** Runs a command line and returns its exit code; never calls {@code System.exit}. */
  public static int run(String[] args, PrintStream stdout) {
    OptionCatalog catalog = OptionCatalog.load();
    Map<String, Command> commands = commands(stdout);
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      stdout.print(Help.overview(commands.values()));
      return args.length == 0 ? ExitCode.BAD_INPUT : ExitCode.OK;
    }
    Command command = commands.get(args[0]);
    if (command == null) {
      System.err.println("error: unknown command '" + args[0] + "'; commands: " + String.join(", ", commands.keySet()));
      return ExitCode.BAD_INPUT;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.contains("--help") || rest.contains("-h")) {
      stdout.print(Help.command(command, catalog));
      return ExitCode.OK;
    }
    try {
      Options options = Options.parse(command.name(), rest, catalog, command.options());
      for (String required : command.requiredOptions()) {
        options.required(required);
      }
      OutputChecks.check(command, options);
      return command.run(options);
    } catch (Throwable t) {
      return report(command.name(), t);
    }
  }

  /** Logs a failure in one clear line where the cause is known, and maps it to an exit code. */
  static int report(String command, Throwable t) {
    BadInputException bad = BadInputException.findIn(t);
    if (bad != null) {
      LOG.error("{}: {}", command, bad.getMessage());
      System.err.println("error: " + bad.getMessage());
      return ExitCode.BAD_INPUT;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RegistryBusyException) {
        LOG.error("{}: {}", command, c.getMessage());
        System.err.println("error: " + c.getMessage());
        return ExitCode.REGISTRY_BUSY;
      }
      if (c instanceof TrainingDivergedException || c instanceof InsufficientMemoryException) {
        LOG.error("{}: {}", command, c.getMessage());
        System.err.println("error: " + c.getMessage());
        return c instanceof TrainingDivergedException ? ExitCode.DIVERGED : ExitCode.INSUFFICIENT_MEMORY;
      }
    }
    if (t instanceof SparkException && t.getMessage() != null && t.getMessage().contains("OutOfMemoryError")) {
      LOG.error("{}: an executor ran out of memory; give executors more memory or use more partitions", command, t);
    } else {
      LOG.error("{} failed: {}", command, t.toString(), t);
    }
    System.err.println("error: " + command + " failed: " + t);
    return ExitCode.FAILURE;
  }

  /** The project version from the jar manifest, or "dev" when run from classes. */
  static String version() {
    return org.sparklinear.pipeline.TrainingPipeline.codeVersion();
  }
}
