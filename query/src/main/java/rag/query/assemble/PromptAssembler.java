package rag.query.assemble;

import java.util.ArrayList;
import java.util.List;
import rag.query.generate.PromptMessage;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.storage.catalog.CatalogReader;

/**
 * Builds a plan's prompt: the fixed system message, then one user message with the contents, the
 * documents (separated and labelled, citation ids inside) and, last, the conversation so far (if
 * any), the instructions and the question. Everything before the conversation depends only on the
 * scope, so a serving engine's prefix cache can reuse it. Nothing is read until the prompt is written.
 */
public final class PromptAssembler {
  private final CatalogReader catalog;

  public PromptAssembler(CatalogReader catalog) {
    this.catalog = catalog;
  }

  /** @param conversation earlier turns as text (see {@link PromptLayout#conversation}), or null */
  public AssembledPrompt assemble(Plan plan, String question, String conversation) {
    List<PromptMessage> messages = new ArrayList<>();
    messages.add(PromptMessage.system(PromptLayout.SYSTEM));
    messages.add(PromptMessage.user(new ContextText(catalog, plan, question, conversation,
        plan.mode() == Mode.STUFF)));
    return new AssembledPrompt(messages, CitationIndex.of(catalog, plan));
  }
}
