package rag.query.cite;

import rag.query.assemble.Cited;
import rag.storage.model.Provenance;

/** Builds a {@link Citation} from cited text and the snippet chosen in it. */
final class Citations {
  private Citations() {}

  static Citation of(Cited cited, String snippet, double score) {
    Provenance p = cited.provenance();
    return new Citation(cited.label(), cited.document().id(), cited.document().sourcePath(), cited.document().title(),
        p.pageStart(), p.pageEnd(), p.lineStart(), p.lineEnd(), p.startMs(), p.endMs(), p.speaker(), snippet, score);
  }
}
