package rag.app.wiring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rag.query.admission.AdmittedModelClient;
import rag.query.admission.Bulkhead;

/**
 * The service's bulkheads ({@code rag.admission.*}, {@code rag.models.<name>.max-concurrent}): one per model server,
 * one for question embeddings, one for the tokens of stuffed prompts. {@code AdmissionMetrics} publishes each.
 */
public record AdmissionBounds(Map<AdmittedModelClient.Server, Bulkhead> models, Bulkhead questionEmbeddings,
    Bulkhead stuffedTokens) {

  public AdmissionBounds {
    models = new LinkedHashMap<>(models);
  }

  public List<Bulkhead> all() {
    List<Bulkhead> all = new ArrayList<>(models.values());
    all.add(questionEmbeddings);
    all.add(stuffedTokens);
    return all;
  }
}
