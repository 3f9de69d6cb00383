package rag.query.generate;

import java.time.Duration;

/**
 * A complete answer.
 *
 * @param text the concatenation of the tokens given to the {@link TokenSink}
 * @param finishReason as the server sent it ({@code stop}, {@code length}, ...); null when it sent none
 * @param promptTokens the server's count of prompt tokens, null when it reported no usage
 * @param completionTokens the server's count of answer tokens, null when it reported no usage
 * @param timeToFirstToken from sending the request to the first token; null when no token came
 * @param total from sending the request to the end of the answer
 */
public record Generation(String text, String finishReason, Integer promptTokens, Integer completionTokens,
    Duration timeToFirstToken, Duration total) {
}
