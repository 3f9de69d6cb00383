/**
 * Query: {@link rag.query.QueryPipeline} plans (stuff or retrieve), assembles the prompt, generates
 * (or extracts) and cites. Stages: {@code profile}, {@code retrieve}, {@code plan}, {@code assemble},
 * {@code generate}, {@code cite}, {@code chat}.
 */
package rag.query;
