package rag.eval.beir;

import java.nio.file.Path;

/** A BEIR file that does not follow the layout; the message names the file and line. */
public class BeirFormatException extends RuntimeException {
  public BeirFormatException(Path file, int line, String problem) {
    super(file + " line " + line + ": " + problem);
  }

  public BeirFormatException(String message) {
    super(message);
  }
}
