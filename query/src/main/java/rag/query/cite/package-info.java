/**
 * Citations. In: an answer's text (or, with no model, the best passages) and the prompt's citation
 * index. Out: {@link rag.query.cite.Citation}s whose snippets are verbatim text of the cited
 * passage, with its document, pages, lines or times.
 */
package rag.query.cite;
