package rag.query.generate;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Generation through LangChain4j's {@link OpenAiStreamingChatModel} over the JDK HTTP client.
 *
 * <p>LangChain4j builds the whole request body in memory: {@code DefaultOpenAiClient} serialises the
 * request with {@code Json.toJson} into a String, and {@code JdkHttpClient} sends it with
 * {@code BodyPublishers.ofString}, so a prompt exists as our String, as the JSON String and as its
 * UTF-8 bytes at once. Fine for retrieved contexts; {@link RoutingModelClient} sends larger prompts
 * through {@link StreamingRequestModelClient}.
 *
 * <p>The endpoint's timeout is both LangChain4j's (connect, and the JDK request timeout that ends
 * when the headers arrive) and a deadline for the whole answer: when it passes, the response stream
 * is closed, which frees LangChain4j's parsing thread. So is it when the stream stalls for longer
 * than the endpoint's stall timeout once answer tokens flow.
 */
public final class LangChainModelClient implements ModelClient {

  private final Map<List<Duration>, HttpClient> sharedClients = new ConcurrentHashMap<>();

  @Override
  public Generation generate(ModelEndpoint endpoint, List<PromptMessage> messages, TokenSink sink) {
    List<ChatMessage> chatMessages = messages.stream().map(LangChainModelClient::toChatMessage).toList();
    StreamedAnswer answer = new StreamedAnswer(sink);
    AbandonableStream stream = new AbandonableStream();
    CompletableFuture<ChatResponse> completion = new CompletableFuture<>();
    StallWatch stallWatch = new StallWatch(endpoint.stallTimeout(), () -> {
      completion.completeExceptionally(new ServerStalled());
      stream.abandon();
    });
    StreamingChatModel model = OpenAiStreamingChatModel.builder()
        .httpClientBuilder(new BodyExposingHttpClient.Builder(this::sharedClient, stream, stallWatch))
        .baseUrl(endpoint.baseUrl())
        .apiKey(endpoint.apiKey())
        .modelName(endpoint.model())
        .maxTokens(endpoint.maxAnswerTokens())
        .temperature(endpoint.temperature())
        .timeout(endpoint.timeout())
        .build();
    try {
      model.chat(chatMessages, new Handler(answer, completion, stallWatch));
      ChatResponse response = completion.get(Math.max(0, answer.nanosLeft(endpoint.timeout())), NANOSECONDS);
      TokenUsage usage = response.tokenUsage();
      return answer.complete(wireName(response.finishReason()),
          usage == null ? null : usage.inputTokenCount(), usage == null ? null : usage.outputTokenCount());
    } catch (TimeoutException e) {
      throw ServerErrors.deadlinePassed(endpoint, answer.tokens());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ServerStalled) {
        throw ServerErrors.stalled(endpoint, answer.tokens());
      }
      if (e.getCause() instanceof SinkFailure sinkFailure) {
        throw sinkFailure.sinkException;
      }
      if (e.getCause() instanceof BodyExposingHttpClient.CutShort) {
        throw ServerErrors.cutShort(endpoint, answer.tokens());
      }
      if (e.getCause() instanceof BodyExposingHttpClient.ErrorEvent errorEvent) {
        throw ServerErrors.errorEvent(endpoint, errorEvent.data, answer.tokens());
      }
      throw ServerErrors.forFailure(endpoint, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("generation by " + endpoint.describe() + " was interrupted");
    } finally {
      stallWatch.close();
      answer.close();
      stream.abandon();
    }
  }

  private HttpClient sharedClient(Duration connectTimeout, Duration readTimeout) {
    return sharedClients.computeIfAbsent(List.of(connectTimeout, readTimeout), key -> JdkHttpClient.builder()
        .httpClientBuilder(java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1))
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .build());
  }

  private static ChatMessage toChatMessage(PromptMessage message) {
    String text = message.content().asString();
    return switch (message.role()) {
      case SYSTEM -> SystemMessage.from(text);
      case USER -> UserMessage.from(text);
      case ASSISTANT -> AiMessage.from(text);
    };
  }

  /** The finish reason as the OpenAI protocol spells it; LangChain4j maps unknown ones to null. */
  private static String wireName(FinishReason reason) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL_EXECUTION -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
      case OTHER -> "other";
    };
  }

  private static final class Handler implements StreamingChatResponseHandler {

    private final StreamedAnswer answer;
    private final CompletableFuture<ChatResponse> completion;
    private final StallWatch stallWatch;

    Handler(StreamedAnswer answer, CompletableFuture<ChatResponse> completion, StallWatch stallWatch) {
      this.answer = answer;
      this.completion = completion;
      this.stallWatch = stallWatch;
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
      if (partialResponse.text() != null && !partialResponse.text().isEmpty()) {
        stallWatch.token();
      }
      try {
        answer.accept(partialResponse.text());
      } catch (RuntimeException sinkException) {
        completion.completeExceptionally(new SinkFailure(sinkException));
        context.streamingHandle().cancel();
      }
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      completion.complete(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
      completion.completeExceptionally(error);
    }
  }

  /** The stream went quiet for longer than the stall timeout. */
  private static final class ServerStalled extends RuntimeException {

    ServerStalled() {
      super(null, null, false, false);
    }
  }

  /** Carries the sink's own exception out of LangChain4j's thread. */
  private static final class SinkFailure extends RuntimeException {

    private final RuntimeException sinkException;

    SinkFailure(RuntimeException sinkException) {
      super(sinkException);
      this.sinkException = sinkException;
    }
  }
}
