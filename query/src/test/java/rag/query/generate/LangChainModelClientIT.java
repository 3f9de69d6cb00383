package rag.query.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import rag.query.generate.ModelException.Kind;
import rag.query.generate.ScriptedModelServer.Reply;

class LangChainModelClientIT extends ModelClientContract {

  private final LangChainModelClient client = new LangChainModelClient();

  @Override
  ModelClient client() {
    return client;
  }

  @Test
  void abandoningAStalledAnswerFreesLangChain4jsParsingThread() throws InterruptedException {
    server.reply(Reply.tokens("stalls", " here", " forever").stallAfter(1));
    List<String> received = new CopyOnWriteArrayList<>();

    ModelException failure = catchThrowableOfType(
        () -> client.generate(server.endpoint(STALL_TIMEOUT), question(), received::add), ModelException.class);

    assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(received).as("the answer had started: a thread was parsing it").containsExactly("stalls");
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (parsingThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(parsingThreads()).as("threads still reading the abandoned answer").isZero();
  }

  private static long parsingThreads() {
    return Thread.getAllStackTraces().values().stream()
        .filter(stack -> Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith(
            "dev.langchain4j.http.client.sse.DefaultServerSentEventParser")))
        .count();
  }
}
