package org.sparklinear;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looks up an enum constant by the name users type, with an error that lists the choices. */
public final class CliNames {
  private CliNames() {}

  public static <E extends Enum<E>> E parse(E[] values, Function<E, String> cliName, String name, String what) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (E value : values) {
      if (cliName.apply(value).equals(wanted)) {
        return value;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + name + "'; expected one of "
        + Arrays.stream(values).map(cliName).collect(Collectors.joining(", ")));
  }
}
