package rag.ingest.parse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files under {@code src/test/resources/fixtures} and one parser shared by the tests (Tika starts slowly). */
public final class Fixtures {
  public static final TikaParser PARSER = new TikaParser();

  private Fixtures() {}

  public static Path path(String name) {
    URL url = Fixtures.class.getResource("/fixtures/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no fixture " + name + " in src/test/resources/fixtures");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Source source(String name) {
    Path path = path(name);
    try {
      return new Source("uploads/" + name, path, Files.size(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ParsedDocument parse(String name) throws ParseFailure {
    return PARSER.parse(source(name));
  }
}
