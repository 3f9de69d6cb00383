package rag.ingest.parse;

import java.util.HashMap;
import java.util.Map;
import org.apache.tika.mime.MediaType;

/**
 * The programming language of a source file, from its extension first and its detected media type
 * second. {@link #OTHER} is source code whose declarations are not recognised (Ruby, Rust, SQL,
 * shell, YAML, ...): it is still chunked by line, with exact line numbers.
 */
public enum CodeLanguage {
  JAVA, PYTHON, JAVASCRIPT, TYPESCRIPT, GO, C, CPP, OTHER;

  private static final Map<String, CodeLanguage> BY_EXTENSION = new HashMap<>();

  static {
    put(JAVA, "java");
    put(PYTHON, "py", "pyw", "pyi");
    put(JAVASCRIPT, "js", "mjs", "cjs", "jsx");
    put(TYPESCRIPT, "ts", "tsx", "mts", "cts");
    put(GO, "go");
    put(C, "c", "h");
    put(CPP, "cc", "cpp", "cxx", "c++", "hpp", "hh", "hxx", "ino");
    put(OTHER, "rb", "rs", "kt", "kts", "scala", "swift", "cs", "php", "sh", "bash", "zsh", "sql", "lua", "pl",
        "pm", "r", "m", "mm", "groovy", "gradle", "dart", "ex", "exs", "erl", "hs", "ml", "mli", "clj", "fs",
        "vb", "ps1", "bat", "cmd", "yaml", "yml", "toml", "ini", "properties", "dockerfile", "makefile", "mk",
        "cmake", "css", "scss", "less", "proto", "tf", "zig", "nim", "jl", "vue", "svelte");
  }

  private static void put(CodeLanguage language, String... extensions) {
    for (String extension : extensions) {
      BY_EXTENSION.put(extension, language);
    }
  }

  /** The language of a text file, or null when it is not source code. */
  static CodeLanguage of(MediaType type, String fileName) {
    CodeLanguage byName = BY_EXTENSION.get(Format.extension(fileName));
    if (byName != null) {
      return byName;
    }
    if (!Format.isCodeType(type)) {
      return null;
    }
    return switch (type.getBaseType().toString()) {
      case "text/x-java-source", "text/x-java" -> JAVA;
      case "text/x-python" -> PYTHON;
      case "text/javascript", "application/javascript" -> JAVASCRIPT;
      case "application/typescript" -> TYPESCRIPT;
      case "text/x-go" -> GO;
      case "text/x-csrc", "text/x-chdr" -> C;
      case "text/x-c++src", "text/x-c++hdr" -> CPP;
      default -> OTHER;
    };
  }

  /** The language recorded under {@link MetadataKeys#CODE_LANGUAGE}, {@link #OTHER} when absent. */
  public static CodeLanguage of(ParsedDocument document) {
    String name = document.metadata().get(MetadataKeys.CODE_LANGUAGE);
    if (name != null) {
      try {
        return valueOf(name);
      } catch (IllegalArgumentException e) {
        return OTHER;
      }
    }
    CodeLanguage byType = of(MediaType.parse(document.mediaType()), null);
    return byType == null ? OTHER : byType;
  }
}
