package rag.storage.keys;

import java.util.Locale;
import rag.storage.problem.InvalidInputException;

/** What a key may do in a collection; each level includes the ones before it. */
public enum AccessLevel {
  /** List, search, query, plan, chat; read documents, chunks, originals and pages. */
  READ,
  /** Read, and upload, delete documents, re-index. */
  WRITE,
  /** Write, and delete the collection. */
  ADMIN;

  public boolean includes(AccessLevel other) {
    return compareTo(other) >= 0;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AccessLevel fromWireName(String value) {
    for (AccessLevel level : values()) {
      if (level.wireName().equals(value)) {
        return level;
      }
    }
    throw new InvalidInputException("unknown access level '" + value + "': use read, write or admin");
  }
}
