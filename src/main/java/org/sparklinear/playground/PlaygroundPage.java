package org.sparklinear.playground;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The playground: one self-contained HTML page (its styles and scripts inlined, nothing fetched from a network), put
 * together from the resources beside this class, so the page can be edited as HTML, CSS and JavaScript.
 */
public final class PlaygroundPage {
  /** The name the page is written under. */
  public static final String FILE_NAME = "playground.html";
  /** In the page: a line that recognises it as this project's playground. */
  public static final String GENERATOR = "<meta name=\"generator\" content=\"spark-linear-classifier playground\">";

  private static final Pattern INLINE = Pattern.compile("/\\*@inline ([a-z.-]+)\\*/");

  private PlaygroundPage() {}

  /** The whole page: {@code playground.html} with every inline marker in it replaced by the resource it names. */
  public static String html() {
    String template = resource(FILE_NAME);
    Matcher m = INLINE.matcher(template);
    StringBuilder page = new StringBuilder();
    while (m.find()) {
      String part = resource(m.group(1));
      // inlined text must not end the element it sits in
      if (part.toLowerCase(java.util.Locale.ROOT).contains("</script") || part.contains("</style")) {
        throw new IllegalStateException(m.group(1) + " contains a closing tag and cannot be inlined");
      }
      m.appendReplacement(page, Matcher.quoteReplacement(part));
    }
    m.appendTail(page);
    return page.toString();
  }

  private static String resource(String name) {
    try (InputStream in = PlaygroundPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the playground's " + name + " is missing from the classpath; rebuild the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the playground's " + name, e);
    }
  }
}
