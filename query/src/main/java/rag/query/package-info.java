/**
 * Query: model profiles, hybrid retrieval, the stuff-or-retrieve planner, prompt assembly,
 * generation and citations. Built under the query issue.
 */
package rag.query;
