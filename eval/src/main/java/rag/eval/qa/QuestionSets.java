package rag.eval.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads question sets: JSON lines, one question per line, {@code {"id", "question", "expected": [{"source", "pages":
 * [from, to], "timeMs": [from, to], "lines": [from, to], "text"}], "answer"}}; blank lines are skipped. Every error
 * names its line and field; ids are unique within a set.
 */
public final class QuestionSets {
  public static final int MAX_QUESTIONS = 2_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> QUESTION_FIELDS = Set.of("id", "question", "expected", "answer", "drafted");
  private static final Set<String> PASSAGE_FIELDS = Set.of("source", "pages", "timeMs", "lines", "text");

  private QuestionSets() {}

  /** The questions of a set; throws {@link IllegalArgumentException} naming the line of the first error. */
  public static List<QaQuestion> parse(String jsonLines) {
    List<QaQuestion> questions = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    String[] lines = jsonLines.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      QaQuestion q;
      try {
        q = question(JSON.readTree(line));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": not JSON (" + e.getOriginalMessage() + ")");
      }
      if (!ids.add(q.id())) {
        throw new IllegalArgumentException("line " + (i + 1) + ": the id '" + q.id() + "' is used twice");
      }
      questions.add(q);
      if (questions.size() > MAX_QUESTIONS) {
        throw new IllegalArgumentException("a set holds at most " + MAX_QUESTIONS + " questions");
      }
    }
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("the set holds no question");
    }
    return questions;
  }

  /** One question from its JSON object (also for questions sent inline). */
  public static QaQuestion question(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("a question is a JSON object");
    }
    unknown(node, QUESTION_FIELDS, "question");
    JsonNode expected = node.path("expected");
    if (!expected.isArray()) {
      throw new IllegalArgumentException("\"expected\" must be a list of passages");
    }
    List<ExpectedPassage> passages = new ArrayList<>();
    for (JsonNode p : expected) {
      if (!p.isObject()) {
        throw new IllegalArgumentException("each expected passage is a JSON object");
      }
      unknown(p, PASSAGE_FIELDS, "expected passage");
      long[] pages = range(p, "pages");
      long[] times = range(p, "timeMs");
      long[] lines = range(p, "lines");
      passages.add(new ExpectedPassage(text(p, "source"), pages == null ? null : (int) pages[0],
          pages == null ? null : (int) pages[1], times == null ? null : times[0], times == null ? null : times[1],
          lines == null ? null : (int) lines[0], lines == null ? null : (int) lines[1], text(p, "text")));
    }
    JsonNode drafted = node.get("drafted");
    if (drafted != null && !drafted.isNull() && !drafted.isBoolean()) {
      throw new IllegalArgumentException("\"drafted\" must be true or false");
    }
    return new QaQuestion(text(node, "id"), text(node, "question"), passages, text(node, "answer"),
        drafted != null && drafted.asBoolean());
  }

  /** The questions as a set's JSON lines, one object per line in the fields {@link #parse} reads. */
  public static String toJsonLines(List<QaQuestion> questions) {
    StringBuilder lines = new StringBuilder();
    for (QaQuestion q : questions) {
      ObjectNode node = JSON.createObjectNode().put("id", q.id()).put("question", q.question());
      ArrayNode expected = node.putArray("expected");
      for (ExpectedPassage e : q.expected()) {
        ObjectNode p = expected.addObject().put("source", e.source());
        if (e.pageFrom() != null) {
          p.putArray("pages").add(e.pageFrom()).add(e.pageTo());
        }
        if (e.timeFrom() != null) {
          p.putArray("timeMs").add(e.timeFrom()).add(e.timeTo());
        }
        if (e.lineFrom() != null) {
          p.putArray("lines").add(e.lineFrom()).add(e.lineTo());
        }
        if (e.text() != null) {
          p.put("text", e.text());
        }
      }
      if (q.answer() != null) {
        node.put("answer", q.answer());
      }
      if (q.drafted()) {
        node.put("drafted", true);
      }
      lines.append(node).append('\n');
    }
    return lines.toString();
  }

  private static void unknown(JsonNode node, Set<String> known, String what) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown field \"" + name + "\" in a " + what + " (known: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a string");
    }
    return v.asText();
  }

  private static long[] range(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray() || v.size() != 2 || !v.get(0).canConvertToLong() || !v.get(1).canConvertToLong()) {
      throw new IllegalArgumentException("\"" + field + "\" must be [from, to], two whole numbers");
    }
    return new long[] {v.get(0).asLong(), v.get(1).asLong()};
  }
}
