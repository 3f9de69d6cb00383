/**
 * Prompt assembly. In: a plan and the question. Out: the messages for the model ({@link
 * rag.query.assemble.AssembledPrompt}), documents first, each wrapped in labelled separators with
 * citation ids and provenance markers inside, question last; and the {@link
 * rag.query.assemble.CitationIndex} that maps the ids back to text. {@link
 * rag.query.assemble.PromptLayout} holds every fixed string.
 */
package rag.query.assemble;
