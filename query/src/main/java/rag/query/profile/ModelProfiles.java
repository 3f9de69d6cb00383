package rag.query.profile;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import rag.storage.problem.InvalidInputException;

/** The configured profiles by name, and the one used when a request names none. */
public final class ModelProfiles {
  private final Map<String, ModelProfile> byName;
  private final String defaultName;

  public ModelProfiles(List<ModelProfile> profiles, String defaultName) {
    Map<String, ModelProfile> map = new TreeMap<>();
    for (ModelProfile p : profiles) {
      map.put(p.name(), p);
    }
    if (!map.containsKey(defaultName)) {
      throw new IllegalArgumentException("the default profile '" + defaultName + "' is not configured; profiles: "
          + map.keySet());
    }
    this.byName = Map.copyOf(map);
    this.defaultName = defaultName;
  }

  /** The named profile, or the default one for a null or blank name. */
  public ModelProfile get(String name) {
    String key = name == null || name.isBlank() ? defaultName : name;
    ModelProfile p = byName.get(key);
    if (p == null) {
      throw new UnknownProfileException(key, new TreeMap<>(byName).keySet().stream().toList());
    }
    return p;
  }

  public List<ModelProfile> all() {
    return new TreeMap<>(byName).values().stream().toList();
  }

  public String defaultName() {
    return defaultName;
  }

  /** A request named a profile that is not configured. */
  public static final class UnknownProfileException extends InvalidInputException {
    public UnknownProfileException(String name, List<String> known) {
      super("there is no model profile '" + name + "'; configured: " + known);
    }
  }
}
