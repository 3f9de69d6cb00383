package rag.app.eval;

import java.util.Locale;
import rag.storage.problem.InvalidInputException;

/** What a NIAH run measures; see {@link NiahRequest#mode()}. */
public enum NiahMode {
  RETRIEVE, STUFF, END_TO_END;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static NiahMode parse(String name) {
    for (NiahMode mode : values()) {
      if (mode.wireName().equals(name)) {
        return mode;
      }
    }
    throw new InvalidInputException("illegal mode '" + name + "', must be retrieve, stuff or end-to-end");
  }
}
