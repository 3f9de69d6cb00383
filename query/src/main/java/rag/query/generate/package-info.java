/**
 * Generation: sends an assembled prompt to an OpenAI-compatible model server (vLLM, llama.cpp
 * server, Ollama) and streams the answer back.
 *
 * <p>In: a {@link rag.query.generate.ModelEndpoint} (where the model is served, its timeout and
 * answer limit), the prompt as {@link rag.query.generate.PromptMessage}s whose
 * {@link rag.query.generate.PromptText} can be written out without being materialised, and a
 * {@link rag.query.generate.TokenSink}. Out: the answer tokens, in order, to the sink and a
 * {@link rag.query.generate.Generation} (text, finish reason, usage, timings), or a
 * {@link rag.query.generate.ModelException} whose {@link rag.query.generate.ModelException.Kind}
 * says whether the server was unavailable, refused the prompt, timed out or answered nonsense.
 * A call never outlives its endpoint's timeout.
 *
 * <p>{@link rag.query.generate.RoutingModelClient} is the client to use: prompts up to a size
 * threshold go through LangChain4j ({@link rag.query.generate.LangChainModelClient}), larger or
 * unmeasured ones through {@link rag.query.generate.StreamingRequestModelClient}, which writes the
 * request body as it goes instead of building it in memory.
 * {@link rag.query.generate.TokenizeClient} counts tokens with the server's own tokenizer where
 * the server offers one, to calibrate local token counts.
 */
package rag.query.generate;
