package rag.query.generate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import rag.query.generate.ScriptedModelServer.Reply;

class StreamingRequestModelClientIT extends ModelClientContract {

  private final StreamingRequestModelClient client = new StreamingRequestModelClient();

  @Override
  ModelClient client() {
    return client;
  }

  @Test
  void sendsATwentyMegabytePromptIntactWithoutMaterialisingItAndStreamsTheAnswer() throws Exception {
    GeneratedCorpus corpus = new GeneratedCorpus(200, 100_000);
    server.reply(Reply.tokens("The", " corpus", " is", " about", " tides", "."));
    List<String> received = new CopyOnWriteArrayList<>();

    Generation generation = client.generate(server.endpoint(Duration.ofSeconds(60)),
        List.of(PromptMessage.system("Answer from the documents."), PromptMessage.user(corpus)), received::add);

    ScriptedModelServer.RecordedRequest request = server.lastChatRequest();
    String receivedCorpus = request.body().path("messages").path(1).path("content").asText();
    assertThat(request.bodyBytes()).isGreaterThan(20_000_000);
    assertThat(receivedCorpus.length()).isGreaterThan(20_000_000);
    assertThat(sha256(receivedCorpus)).isEqualTo(sha256(corpus));
    assertThat(request.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
    assertThat(request.header("Content-Length")).isNull();
    assertThat(received).containsExactly("The", " corpus", " is", " about", " tides", ".");
    assertThat(generation.text()).isEqualTo("The corpus is about tides.");
    assertThat(generation.promptTokens()).isEqualTo(ScriptedModelServer.countWords(receivedCorpus) + 4);
  }

  @Test
  void sendsTheSameRequestAndGetsTheSameAnswerAsLangChain4j() {
    server.reply(Reply.tokens("Same", " answer").promptTokens(42));
    ModelEndpoint endpoint = new ModelEndpoint(server.baseUrl(), "llama-4-scout", "key-1", Duration.ofSeconds(10),
        300, 0.7);
    List<PromptMessage> messages = List.of(PromptMessage.system("System \"rules\"\n\t— été"),
        PromptMessage.user("Question with \\ backslash and \u0007 bell"), PromptMessage.assistant("Earlier answer"),
        PromptMessage.user("Follow-up 🌊"));

    Generation viaLangChain = new LangChainModelClient().generate(endpoint, messages, token -> { });
    ScriptedModelServer.RecordedRequest langChainRequest = server.lastChatRequest();
    Generation viaStream = client.generate(endpoint, messages, token -> { });
    ScriptedModelServer.RecordedRequest streamedRequest = server.lastChatRequest();

    assertThat(streamedRequest.body()).isEqualTo(langChainRequest.body());
    assertThat(streamedRequest.header("Authorization")).isEqualTo(langChainRequest.header("Authorization"));
    assertThat(streamedRequest.header("Content-Type")).isEqualTo(langChainRequest.header("Content-Type"));
    assertThat(List.of(viaStream.text(), viaStream.finishReason(), viaStream.promptTokens(), viaStream.completionTokens()))
        .isEqualTo(List.of(viaLangChain.text(), viaLangChain.finishReason(), viaLangChain.promptTokens(),
            viaLangChain.completionTokens()));
  }

  private static String sha256(String text) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
  }

  /** The test may hold the corpus whole; the client under test may not (its asString fails). */
  private static String sha256(PromptText text) throws NoSuchAlgorithmException, IOException {
    StringBuilder whole = new StringBuilder();
    text.writeTo(whole);
    return sha256(whole.toString());
  }
}
