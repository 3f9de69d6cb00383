package rag.app;

import java.util.HashMap;
import java.util.Map;

/** The scripted model server with a bound of one request at a time and one short place in the queue. */
public class BoundedScriptedModel extends ScriptedModel {
  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    config.put("rag.models.scripted.timeout", "30s");
    config.put("rag.models.scripted.stall-timeout", "10s");
    config.put("rag.models.scripted.max-concurrent", "1");
    config.put("rag.models.scripted.max-waiting", "1");
    config.put("rag.admission.max-wait", "300ms");
    return config;
  }
}
