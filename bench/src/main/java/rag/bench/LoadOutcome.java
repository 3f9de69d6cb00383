package rag.bench;

import java.net.http.HttpHeaders;
import java.util.Locale;

/**
 * How one request ended: {@code OK} (2xx, and for chat a stream that reached {@code done}), {@code SHED} (503 or 429
 * with {@code Retry-After} and an {@code application/problem+json} body: a documented bound said no) or {@code ERROR}
 * (anything else). {@code status} is the HTTP status, 0 for an exception or a timeout; {@code detail} the problem type
 * of a shed request, or what went wrong.
 */
record LoadOutcome(Kind kind, int status, String detail) {
  enum Kind { OK, SHED, ERROR }

  static LoadOutcome ok(int status) {
    return new LoadOutcome(Kind.OK, status, "");
  }

  static LoadOutcome error(int status, String detail) {
    return new LoadOutcome(Kind.ERROR, status, detail);
  }

  /** Classifies a response that is not a success. */
  static LoadOutcome failed(int status, HttpHeaders headers, String body) {
    String type = headers.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    boolean problem = type.startsWith("application/problem+json");
    if ((status == 503 || status == 429) && headers.firstValue("Retry-After").isPresent() && problem) {
      return new LoadOutcome(Kind.SHED, status, problemType(body));
    }
    return error(status, (problem ? "" : "[" + type + "] ") + excerpt(body));
  }

  /** The last segment of a problem's {@code type}, e.g. {@code overloaded}. */
  static String problemType(String body) {
    int at = body.indexOf("\"type\"");
    if (at < 0) {
      return "?";
    }
    int start = body.indexOf('"', body.indexOf(':', at) + 1) + 1;
    int end = body.indexOf('"', start);
    String type = start > 0 && end > start ? body.substring(start, end) : "?";
    return type.substring(type.lastIndexOf('/') + 1);
  }

  static String excerpt(String text) {
    String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
