package rag.query.assemble;

import java.io.IOException;
import java.util.List;
import rag.query.generate.PromptText;
import rag.query.plan.Plan;
import rag.query.retrieve.Passage;
import rag.storage.catalog.CatalogReader;
import rag.storage.model.Document;

/**
 * The user message of a plan: contents, documents (whole, or the packed passages), instructions,
 * question. A stuffed corpus is read from the catalog one document at a time while it is written,
 * so writing it holds one document's chunks, not the corpus.
 */
final class ContextText implements PromptText {
  private final CatalogReader catalog;
  private final Plan plan;
  private final String question;
  private final String conversation;
  private final boolean stuffed;

  ContextText(CatalogReader catalog, Plan plan, String question, String conversation, boolean stuffed) {
    this.catalog = catalog;
    this.plan = plan;
    this.question = question;
    this.conversation = conversation;
    this.stuffed = stuffed;
  }

  /** Known for a retrieval prompt (its passages are in memory); -1 for a stuffed one, read while written. */
  @Override
  public long length() {
    if (stuffed) {
      return -1;
    }
    long[] length = {0};
    try {
      writeTo(new Appendable() {
        @Override
        public Appendable append(CharSequence csq) {
          length[0] += csq.length();
          return this;
        }

        @Override
        public Appendable append(CharSequence csq, int start, int end) {
          length[0] += end - start;
          return this;
        }

        @Override
        public Appendable append(char c) {
          length[0]++;
          return this;
        }
      });
    } catch (IOException e) {
      return -1;
    }
    return length[0];
  }

  @Override
  public void writeTo(Appendable out) throws IOException {
    List<Document> docs = plan.documents();
    out.append(PromptLayout.CONTENTS_HEADING);
    for (int i = 0; i < docs.size(); i++) {
      out.append(PromptLayout.contentsLine(i, docs.get(i)));
    }
    out.append(PromptLayout.DOCUMENTS_HEADING);
    if (stuffed) {
      writeWholeDocuments(out, docs);
    } else {
      writePassages(out, docs);
    }
    if (conversation != null && !conversation.isBlank()) {
      out.append(conversation);
    }
    out.append(PromptLayout.instructionsAndQuestion(stuffed, plan.unanswerableMarker(), question));
  }

  private void writeWholeDocuments(Appendable out, List<Document> docs) throws IOException {
    int number = 1;
    for (int i = 0; i < docs.size(); i++) {
      Document d = docs.get(i);
      PromptLayout.writeDocument(out, i, d, catalog.chunks(d.id(), d.version()), number);
      number += d.chunkCount(); // ids stay as planned even if the document was replaced meanwhile
    }
  }

  private void writePassages(Appendable out, List<Document> docs) throws IOException {
    List<Passage> passages = plan.passages();
    int next = 0;
    for (int i = 0; i < docs.size(); i++) {
      Document d = docs.get(i);
      out.append(PromptLayout.open(i, d));
      boolean first = true;
      while (next < passages.size() && passages.get(next).documentId().equals(d.id())) {
        Passage p = passages.get(next);
        out.append(first ? "" : "\n[...]\n").append(PromptLayout.marker(next + 1, p.provenance()));
        out.append(PromptLayout.body(p.text()));
        first = false;
        next++;
      }
      out.append(PromptLayout.close(i));
    }
  }
}
