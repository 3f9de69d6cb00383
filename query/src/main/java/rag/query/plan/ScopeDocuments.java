package rag.query.plan;

import java.util.ArrayList;
import java.util.List;
import rag.storage.catalog.CatalogReader;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

/** The published documents of a scope, in the order prompts use: by source path (stable across questions). */
public final class ScopeDocuments {
  private static final int PAGE = 1000;

  private ScopeDocuments() {}

  public static List<Document> list(CatalogReader catalog, SearchFilter scope) {
    List<Document> docs = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      List<Document> page = catalog.list(scope.collection(), offset, PAGE);
      for (Document d : page) {
        if (scope.matches(d)) {
          docs.add(d);
        }
      }
      if (page.size() < PAGE) {
        return docs;
      }
    }
  }
}
