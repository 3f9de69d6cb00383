/**
 * The two functions ingest and query must share exactly: text to vectors ({@link rag.storage.embed.Embedder})
 * and token counts ({@link rag.storage.embed.TokenCounter}).
 *
 * <p>In: lists of texts (chunks or a question). Out: one {@code float[]} per text, in order, of the embedder's
 * dimension, which fixes the vector index's dimension; {@link rag.storage.embed.Embedder#modelName()} is stored
 * with the index. Embedders: {@link rag.storage.embed.OnnxEmbedder} runs a quantized model in-process;
 * {@link rag.storage.embed.OpenAiCompatibleEmbedder} calls an OpenAI-compatible {@code /embeddings} server and
 * throws {@link rag.storage.embed.EmbeddingException} when it cannot; {@link rag.storage.embed.CachingEmbedder}
 * puts a persistent cache in front of either.
 */
package rag.storage.embed;
