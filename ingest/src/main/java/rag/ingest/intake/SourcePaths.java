package rag.ingest.intake;

/** Source paths are relative, '/'-separated, without '.', '..' or empty segments. */
public final class SourcePaths {
  private SourcePaths() {}

  /** {@code prefix/name} normalized; null when nothing usable remains. */
  public static String join(String prefix, String name) {
    String joined = (prefix == null || prefix.isBlank() ? "" : prefix + "/") + (name == null ? "" : name);
    StringBuilder out = new StringBuilder();
    for (String segment : joined.replace('\\', '/').split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..") || segment.indexOf('\0') >= 0) {
        return null;
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(segment.strip());
    }
    return out.length() == 0 || out.length() > 1024 ? null : out.toString();
  }
}
