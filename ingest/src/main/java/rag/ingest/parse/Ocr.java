package rag.ingest.parse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether Tesseract is installed (on the PATH), checked once. Tika's OCR needs it. */
final class Ocr {
  static final String INSTALL_HINT = "install tesseract-ocr to OCR it";

  private static final boolean AVAILABLE = onPath("tesseract");

  private Ocr() {}

  static boolean available() {
    return AVAILABLE;
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
