package rag.storage.keys;

import rag.storage.problem.InvalidInputException;

/** A key's rights outside collections. */
public enum KeyScope {
  /** Create, list and revoke keys. */
  KEYS("keys"),
  /** Read the audit log. */
  AUDIT("audit"),
  /** Run evaluations and read every evaluation run. */
  EVAL("eval"),
  /** Ingest folders of the server's file system (with write on the collection). */
  INGEST_PATH("ingest-path");

  private final String wireName;

  KeyScope(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static KeyScope fromWireName(String value) {
    for (KeyScope scope : values()) {
      if (scope.wireName.equals(value)) {
        return scope;
      }
    }
    throw new InvalidInputException("unknown scope '" + value + "': use keys, audit, eval or ingest-path");
  }
}
