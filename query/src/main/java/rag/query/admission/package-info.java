/**
 * Admission control where a question's cost is: model requests per profile, question embeddings and the tokens of
 * stuffed prompts in flight. A {@link rag.query.admission.Bulkhead} admits work up to its capacity, lets a bounded
 * number of callers wait a bounded time, and refuses the rest at once with an
 * {@link rag.query.admission.OverloadedException} (the API's 503 with {@code Retry-After}): the service sheds what it
 * cannot take instead of piling up timeouts.
 */
package rag.query.admission;
