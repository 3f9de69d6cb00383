package rag.app.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads posted settings strictly: a misspelled field or a value of the wrong type is refused with a 400 that names
 * it, instead of being ignored (the service's shared mapper ignores unknown fields). Used by the endpoints whose
 * bodies are settings a typo would silently change: evaluation runs and searches.
 */
public final class StrictJson {
  private final ObjectMapper mapper;

  public StrictJson(ObjectMapper shared) {
    this.mapper = shared.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /** The body as {@code type}; null for no body or JSON null. */
  public <T> T read(JsonNode body, Class<T> type) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      return null;
    }
    if (!body.isObject()) {
      throw ProblemException.badRequest("expected a JSON object, got " + body.getNodeType().name().toLowerCase());
    }
    try {
      return mapper.treeToValue(body, type);
    } catch (UnrecognizedPropertyException e) {
      List<String> known = e.getKnownPropertyIds() == null ? List.of()
          : e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
      throw ProblemException.badRequest("unknown field '" + path(e) + "'; the fields are " + String.join(", ", known));
    } catch (JsonMappingException e) {
      throw ProblemException.badRequest("illegal value of " + path(e) + ": " + e.getOriginalMessage()
          .replaceAll(" at \\[Source.*", "").replaceAll("\\(class [^)]*\\)", "")
          .replaceAll("`(?:\\w+\\.)+(?:\\w+\\$)?(\\w+)`", "`$1`").strip());
    } catch (JsonProcessingException e) {
      throw ProblemException.badRequest("not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String path(JsonMappingException e) {
    String path = e.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName()
        : "[" + r.getIndex() + "]").collect(Collectors.joining());
    return path.isEmpty() ? "the body" : path.substring(path.startsWith(".") ? 1 : 0);
  }
}
