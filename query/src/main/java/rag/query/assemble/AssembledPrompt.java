package rag.query.assemble;

import java.io.IOException;
import java.util.List;
import rag.query.generate.PromptMessage;

/** The messages for the model (system, earlier turns, then the documents, instructions and question) and their citation ids. */
public record AssembledPrompt(List<PromptMessage> messages, CitationIndex citations) {
  public AssembledPrompt {
    messages = List.copyOf(messages);
  }

  /** The whole prompt as text, messages separated by their role; for display (can be large). */
  public void writeTo(Appendable out) throws IOException {
    for (PromptMessage m : messages) {
      out.append("=== ").append(m.role().wireName()).append(" ===\n");
      m.content().writeTo(out);
      out.append('\n');
    }
  }
}
