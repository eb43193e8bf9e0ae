package org.sparklinear.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every option with its default and help text, read from {@code conf/train.properties} (packed into the jar):
 * the comment lines directly above a key are its description.
 */
public final class OptionCatalog {
  public static final String RESOURCE = "/org/sparklinear/conf/train.properties";

  private final Map<String, OptionSpec> options;

  private OptionCatalog(Map<String, OptionSpec> options) {
    this.options = Collections.unmodifiableMap(options);
  }

  public static OptionCatalog load() {
    try (InputStream in = OptionCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath; rebuild the jar");
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  public static OptionCatalog parse(Reader source) throws IOException {
    Map<String, OptionSpec> specs = new LinkedHashMap<>();
    List<String> comment = new ArrayList<>();
    BufferedReader reader = new BufferedReader(source);
    for (String line; (line = reader.readLine()) != null; ) {
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("##")) {
        comment.clear();
      } else if (t.startsWith("#")) {
        comment.add(t.substring(1).trim());
      } else {
        int eq = t.indexOf('=');
        if (eq < 0) {
          throw new IllegalStateException("malformed line in " + RESOURCE + ": " + line);
        }
        String key = t.substring(0, eq).trim();
        specs.put(key, new OptionSpec(key, t.substring(eq + 1).trim(), String.join(" ", comment)));
        comment.clear();
      }
    }
    return new OptionCatalog(specs);
  }

  public OptionSpec get(String name) {
    return options.get(name);
  }

  public boolean contains(String name) {
    return options.containsKey(name);
  }

  public Map<String, OptionSpec> all() {
    return options;
  }
}
