package rag.query.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.cite.Citation;

class ConversationsTest {
  @TempDir
  Path dir;

  @Test
  void conversationsPersistTurnsWithCitationsAndSurviveATornLastLine() throws Exception {
    FileConversationStore store = new FileConversationStore(dir);
    Conversation c = store.create("library", "qwen3", "Who built the light?");
    Citation cite = new Citation("C1", "doc-1", "a.pdf", "A", 3, 4, null, null, null, null, null, "It was built.", 0.5);
    store.append(c.id(), List.of(Turn.user("Who built the light?", "Who built the light?"),
        Turn.assistant("Engineers did [C1].", "generated", List.of(cite))));
    Files.writeString(dir.resolve(c.id() + ".jsonl"), "{\"role\":\"user\",\"te", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    Conversation reopened = new FileConversationStore(dir).find(c.id()).orElseThrow();
    assertThat(reopened.turns()).hasSize(2);
    assertThat(reopened.turns().get(1).citations()).containsExactly(cite);
    assertThat(reopened.collection()).isEqualTo("library");
    assertThat(reopened.owner()).isNull();
    Conversation owned = store.create("library", "qwen3", "mine", "0123456789ab");
    assertThat(new FileConversationStore(dir).find(owned.id()).orElseThrow().owner()).isEqualTo("0123456789ab");
    assertThat(ChatService.visibleTo(owned, "0123456789ab")).isTrue();
    assertThat(ChatService.visibleTo(owned, "ba9876543210")).isFalse();
    assertThat(ChatService.visibleTo(owned, null)).as("an open service shows everything").isTrue();
    assertThat(ChatService.visibleTo(reopened, "0123456789ab")).as("made while open: no key owns it").isFalse();
    assertThat(store.list("library", 10)).extracting(Conversation::id).containsExactlyInAnyOrder(c.id(), owned.id());
    assertThat(store.list("other", 10)).isEmpty();
    assertThat(store.find("../../etc/passwd")).isEmpty();
    assertThatThrownBy(() -> store.append("00000000-0000-0000-0000-000000000000", List.of()))
        .hasMessageContaining("no conversation");
  }

  @Test
  void deletingACollectionsConversationsKeepsOtherCollectionsAndLaterOnes() throws Exception {
    FileConversationStore store = new FileConversationStore(dir);
    Conversation first = store.create("doomed", "qwen3", "first");
    Conversation second = store.create("doomed", "qwen3", "second");
    Conversation other = store.create("kept", "qwen3", "other");
    Thread.sleep(5);
    Instant deletedAt = Instant.now();
    Thread.sleep(5);
    Conversation later = store.create("doomed", "qwen3", "of a new collection with the same name");

    assertThat(store.deleteAll("doomed", deletedAt)).isEqualTo(2);

    assertThat(store.find(first.id())).isEmpty();
    assertThat(store.find(second.id())).isEmpty();
    assertThat(Files.exists(dir.resolve(first.id() + ".jsonl"))).isFalse();
    assertThat(store.list(null, 10)).extracting(Conversation::id).containsExactlyInAnyOrder(other.id(), later.id());
    assertThat(store.deleteAll("doomed", deletedAt)).isZero();
  }

  @Test
  void withoutAModelAFollowUpCarriesThePreviousQuestionsKeyTerms() {
    List<Turn> earlier = List.of(Turn.user("When was the Point Reyes lighthouse built?", null),
        Turn.assistant("In 1870 [C1].", "extractive", List.of()));
    assertThat(FollowUps.standalone(earlier, "And who designed its lens?", null, null))
        .isEqualTo("And who designed its lens? (Point Reyes lighthouse built)");
    assertThat(FollowUps.standalone(List.of(), "Who designed the lens?", null, null))
        .isEqualTo("Who designed the lens?");
  }
}
