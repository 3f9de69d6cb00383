package rag.query.chat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;
import rag.query.generate.ModelClient;
import rag.query.generate.ModelEndpoint;
import rag.query.generate.ModelException;
import rag.query.generate.PromptMessage;

/**
 * Makes a follow-up ("and when did it close?") a question that can be retrieved with on its own:
 * rewritten by the model when one is configured, otherwise by carrying the previous question's key
 * terms that the follow-up does not already have.
 */
public final class FollowUps {
  private static final Logger LOG = Logger.getLogger(FollowUps.class);
  static final String REWRITE_INSTRUCTION = "Rewrite the user's last message as one standalone question that can be"
      + " understood without the conversation. Reply with the question only.";
  private static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "did", "do", "does",
      "for", "from", "has", "have", "how", "i", "in", "is", "it", "its", "me", "of", "on", "or", "that", "the", "their",
      "them", "then", "there", "they", "this", "to", "was", "were", "what", "when", "where", "which", "who", "why",
      "with", "you", "about", "tell", "more", "please", "can", "could", "would", "should", "also", "he", "she", "his",
      "her", "we", "our", "so", "any", "all", "some");
  private static final int MAX_CARRIED = 8;

  private FollowUps() {}

  /** @param earlier the conversation so far, oldest first */
  public static String standalone(List<Turn> earlier, String message, ModelClient client, ModelEndpoint endpoint) {
    if (earlier.stream().noneMatch(Turn::isUser)) {
      return message;
    }
    if (client != null && endpoint != null) {
      try {
        StringBuilder convo = new StringBuilder();
        for (Turn t : earlier.subList(Math.max(0, earlier.size() - 6), earlier.size())) {
          convo.append(t.isUser() ? "User: " : "Assistant: ").append(clip(t.text())).append('\n');
        }
        convo.append("User: ").append(message).append("\nStandalone question:");
        String rewritten = client.generate(endpoint, List.of(PromptMessage.system(REWRITE_INSTRUCTION),
            PromptMessage.user(convo.toString())), token -> { }).text().strip();
        if (!rewritten.isEmpty() && rewritten.length() < 2_000) {
          return rewritten;
        }
      } catch (ModelException e) {
        LOG.warnf("rewriting a follow-up with the model failed (%s); carrying key terms instead", e.getMessage());
      }
    }
    return carryKeyTerms(earlier, message);
  }

  /** The message plus the previous user question's content words it lacks: "and when did it close? (lighthouse Point Reyes)". */
  static String carryKeyTerms(List<Turn> earlier, String message) {
    Turn previous = null;
    for (Turn t : earlier) {
      if (t.isUser()) {
        previous = t;
      }
    }
    if (previous == null) {
      return message;
    }
    String source = previous.standalone() != null ? previous.standalone() : previous.text();
    Set<String> have = new LinkedHashSet<>(words(message));
    List<String> carried = new ArrayList<>();
    for (String w : source.split("[^\\p{L}\\p{N}]+")) {
      String lower = w.toLowerCase(Locale.ROOT);
      if (!w.isEmpty() && !STOP.contains(lower) && !have.contains(lower) && carried.size() < MAX_CARRIED
          && carried.stream().noneMatch(c -> c.equalsIgnoreCase(w))) {
        carried.add(w);
      }
    }
    return carried.isEmpty() ? message : message.strip() + " (" + String.join(" ", carried) + ")";
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }

  private static String clip(String s) {
    return s.length() <= 1_000 ? s : s.substring(0, 1_000) + "…";
  }
}
