package rag.eval.probe;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rag.eval.niah.AnswerJudge;
import rag.query.QueryPipeline;
import rag.query.generate.ModelClient;
import rag.query.generate.ModelException;
import rag.query.generate.PromptMessage;
import rag.query.profile.ModelProfile;

/**
 * A judge model behind a profile (OpenAI-compatible server), asked for a 1-to-10 score as the original NIAH
 * harness's evaluator does; the grade is the score / 10. A reply without a score, or a failing server, grades 0
 * and says why.
 */
public final class ModelJudge implements AnswerJudge {
  static final String INSTRUCTIONS = "You grade an answer to a question against a reference answer. Reply with the"
      + " score alone, an integer from 1 to 10: 10 when the answer states what the reference states, correctly (the"
      + " wording may differ); 5 when it states part of it; 1 when it does not state it, or contradicts it.";
  private static final Pattern SCORE = Pattern.compile("(?<![\\d.])(10|[1-9])(?![\\d.])");
  private static final int REASON_CHARS = 200;

  private final ModelProfile profile;
  private final ModelClient client;

  public ModelJudge(ModelProfile profile, ModelClient client) {
    this.profile = Objects.requireNonNull(profile, "profile");
    if (!profile.hasModel()) {
      throw new IllegalArgumentException("a judge needs a model: profile '" + profile.name() + "' has no base URL");
    }
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public String name() {
    return profile.name() + " (" + profile.model() + ")";
  }

  @Override
  public Grade grade(String question, String expected, String answer) {
    String prompt = "Question: " + question + "\n\nReference answer: " + expected + "\n\nAnswer to grade: "
        + answer + "\n\nScore (1 to 10):";
    String reply;
    try {
      reply = client.generate(QueryPipeline.endpoint(profile), List.of(PromptMessage.system(INSTRUCTIONS),
          PromptMessage.user(prompt)), token -> { }).text().strip();
    } catch (ModelException e) {
      return new Grade(0, "the judge failed (" + e.kind() + "): " + e.getMessage());
    }
    Matcher score = SCORE.matcher(reply);
    if (!score.find()) {
      return new Grade(0, "the judge's reply holds no score from 1 to 10: " + abbreviate(reply));
    }
    return new Grade(Integer.parseInt(score.group(1)) / 10.0, abbreviate(reply));
  }

  private static String abbreviate(String text) {
    String one = text.replaceAll("\\s+", " ");
    return one.length() <= REASON_CHARS ? one : one.substring(0, REASON_CHARS - 1) + "…";
  }
}
