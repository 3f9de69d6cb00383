package rag.query.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingModelClientTest {

  private final LangChainModelClient regular = new LangChainModelClient();
  private final StreamingRequestModelClient large = new StreamingRequestModelClient();
  private final RoutingModelClient routing = new RoutingModelClient(regular, large, 100);

  @Test
  void promptsUpToTheThresholdGoThroughTheRegularClient() {
    assertThat(routing.clientFor(List.of(PromptMessage.system("x".repeat(40)), PromptMessage.user("y".repeat(60)))))
        .isSameAs(regular);
  }

  @Test
  void largerPromptsGoThroughTheStreamingClient() {
    assertThat(routing.clientFor(List.of(PromptMessage.system("x".repeat(40)), PromptMessage.user("y".repeat(61)))))
        .isSameAs(large);
  }

  @Test
  void promptsOfUnknownLengthAreStreamed() {
    PromptText unmeasured = out -> out.append("short, but unmeasured");

    assertThat(routing.clientFor(List.of(PromptMessage.user(unmeasured)))).isSameAs(large);
  }

  @Test
  void theDefaultThresholdIsAboutAMillionTokens() {
    RoutingModelClient defaults = RoutingModelClient.withDefaults();

    assertThat(defaults.clientFor(List.of(PromptMessage.user("x".repeat(4_000_000)))))
        .isInstanceOf(LangChainModelClient.class);
    assertThat(defaults.clientFor(List.of(PromptMessage.user("x".repeat(4_000_001)))))
        .isInstanceOf(StreamingRequestModelClient.class);
  }

  @Test
  void rejectsANegativeThreshold() {
    assertThatThrownBy(() -> new RoutingModelClient(regular, large, -1))
        .hasMessage("illegal large-prompt threshold -1 chars, must be at least 0");
  }
}
