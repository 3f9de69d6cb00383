package rag.storage.model;

import java.util.regex.Pattern;
import rag.storage.problem.InvalidInputException;

/** Rules for collection names: they appear in URLs, file names and SQL values. */
public final class CollectionNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private CollectionNames() {}

  public static boolean isValidName(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  public static String requireValidName(String name) {
    if (!isValidName(name)) {
      throw new InvalidInputException("illegal collection name '" + name
          + "': use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }
}
