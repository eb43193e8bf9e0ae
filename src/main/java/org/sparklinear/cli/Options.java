package org.sparklinear.cli;

import org.sparklinear.config.OptionCatalog;
import org.sparklinear.config.OptionSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The resolved options of one command: defaults from the catalog, then {@code --conf-file}, then the command line.
 * Every getter names the option in its error, so a bad value is reported as the user wrote it.
 */
public final class Options {
  public static final String CONF_FILE = "conf-file";

  private final Map<String, String> values;
  private final Map<String, String> explicit;
  private final String confFile;

  private Options(Map<String, String> values, Map<String, String> explicit, String confFile) {
    this.values = values;
    this.explicit = explicit;
    this.confFile = confFile;
  }

  /**
   * Parses {@code args} for a command that accepts {@code accepted} options of the catalog.
   * Accepts {@code --name value}, {@code --name=value} and, for flags, {@code --name}.
   */
  public static Options parse(String command, List<String> args, OptionCatalog catalog, List<String> accepted) {
    Map<String, String> cli = new LinkedHashMap<>();
    String confFile = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException(command + ": unexpected argument '" + arg + "' (options start with --)");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (name.equals(CONF_FILE)) {
        if (value == null) {
          value = next(command, args, ++i, name);
        }
        confFile = value;
        continue;
      }
      OptionSpec spec = catalog.get(name);
      if (spec == null || !accepted.contains(name)) {
        throw new UsageException(command + ": unknown option --" + name + " (see " + command + " --help)");
      }
      if (value == null) {
        boolean flagAlone = spec.isFlag() && (i + 1 >= args.size() || args.get(i + 1).startsWith("--"));
        value = flagAlone ? "true" : next(command, args, ++i, name);
      }
      if (cli.put(name, value) != null) {
        throw new UsageException(command + ": --" + name + " is given twice");
      }
    }
    Map<String, String> resolved = new LinkedHashMap<>();
    for (String name : accepted) {
      resolved.put(name, catalog.get(name).defaultValue());
    }
    Map<String, String> explicit = new LinkedHashMap<>();
    if (confFile != null) {
      for (Map.Entry<String, String> e : readConfFile(confFile, catalog).entrySet()) {
        if (accepted.contains(e.getKey())) {
          resolved.put(e.getKey(), e.getValue());
          explicit.put(e.getKey(), e.getValue());
        }
      }
    }
    resolved.putAll(cli);
    explicit.putAll(cli);
    return new Options(resolved, explicit, confFile);
  }

  private static String next(String command, List<String> args, int i, String name) {
    if (i >= args.size()) {
      throw new UsageException(command + ": --" + name + " needs a value");
    }
    return args.get(i);
  }

  /** Keys of a properties file; every key must be a known option. */
  static Map<String, String> readConfFile(String file, OptionCatalog catalog) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      p.load(in);
    } catch (IOException e) {
      throw new UsageException("--conf-file " + file + ": cannot read: " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      if (!catalog.contains(key)) {
        throw new UsageException(file + ": unknown configuration key '" + key + "'");
      }
      out.put(key, p.getProperty(key).trim());
    }
    return out;
  }

  /** The file of {@code --conf-file}, or null. */
  public String confFile() {
    return confFile;
  }

  /** Options as resolved, for logs and the model's metadata. */
  public Map<String, String> asMap() {
    return new LinkedHashMap<>(values);
  }

  /** Whether the command has this option at all. */
  public boolean declares(String name) {
    return values.containsKey(name);
  }

  public boolean isSet(String name) {
    return explicit.containsKey(name);
  }

  public String string(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalStateException("option --" + name + " is not declared for this command");
    }
    return v;
  }

  /** A value that must be given: empty defaults mean "required". */
  public String required(String name) {
    String v = string(name);
    if (v.isEmpty()) {
      throw new UsageException("--" + name + " is required");
    }
    return v;
  }

  public String optional(String name) {
    String v = string(name);
    return v.isEmpty() ? null : v;
  }

  public int integer(String name) {
    try {
      return Integer.parseInt(string(name).trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": '" + string(name) + "' is not a whole number");
    }
  }

  public long longValue(String name) {
    try {
      return Long.parseLong(string(name).trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": '" + string(name) + "' is not a whole number");
    }
  }

  public double decimal(String name) {
    try {
      double d = Double.parseDouble(string(name).trim());
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": '" + string(name) + "' is not a number");
    }
  }

  public boolean flag(String name) {
    String v = string(name).trim();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new UsageException("--" + name + ": '" + v + "' is not true or false");
  }
}
