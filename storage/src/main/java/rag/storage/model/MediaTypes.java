package rag.storage.model;

import java.util.Set;

/** Media types the indexes treat specially. */
public final class MediaTypes {
  private static final Set<String> CODE = Set.of(
      "text/x-java-source", "text/x-java", "text/x-python", "text/x-go", "text/x-c", "text/x-csrc",
      "text/x-c++src", "text/x-chdr", "text/x-c++hdr", "text/x-csharp", "text/x-kotlin", "text/x-scala",
      "text/x-rust", "text/x-ruby", "text/x-php", "text/x-sh", "text/x-shellscript", "text/x-sql",
      "text/x-swift", "text/x-groovy", "text/x-perl", "text/x-lua", "text/x-haskell", "text/x-typescript",
      "text/javascript", "application/javascript", "application/x-javascript", "application/typescript",
      "text/x-objcsrc", "text/x-clojure", "text/x-erlang", "text/x-elixir", "text/x-dart");

  private MediaTypes() {}

  /** Source code gets the identifier-splitting analyzer in the lexical index. */
  public static boolean isSourceCode(String mediaType) {
    if (mediaType == null) {
      return false;
    }
    int semicolon = mediaType.indexOf(';');
    String base = (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).trim().toLowerCase();
    return CODE.contains(base);
  }
}
