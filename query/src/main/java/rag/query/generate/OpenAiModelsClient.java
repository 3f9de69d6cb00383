package rag.query.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Reads the served window from {@code GET <base-url>/models}: vLLM lists each model with its {@code max_model_len}
 * (what {@code --max-model-len} set). The entry whose {@code id} is the endpoint's model is read, or the only entry.
 * Servers that do not say (llama.cpp, Ollama, hosted APIs) give empty.
 */
public final class OpenAiModelsClient implements ServedWindowClient {
  private static final Logger LOG = Logger.getLogger(OpenAiModelsClient.class);

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();
  private final ObjectMapper json = new ObjectMapper();

  @Override
  public OptionalLong servedWindow(ModelEndpoint endpoint) {
    String url = endpoint.baseUrl().replaceAll("/+$", "") + "/models";
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
      if (endpoint.apiKey() != null) {
        request.header("Authorization", "Bearer " + endpoint.apiKey());
      }
      HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.debugf("%s answered HTTP %d", url, response.statusCode());
        return OptionalLong.empty();
      }
      JsonNode data = json.readTree(response.body()).path("data");
      JsonNode entry = null;
      for (JsonNode model : data) {
        if (endpoint.model().equals(model.path("id").asText())) {
          entry = model;
        }
      }
      if (entry == null && data.size() == 1) {
        entry = data.get(0);
      }
      JsonNode length = entry == null ? null : entry.path("max_model_len");
      return length != null && length.canConvertToLong() && length.asLong() > 0 ? OptionalLong.of(length.asLong())
          : OptionalLong.empty();
    } catch (IOException | IllegalArgumentException e) {
      LOG.debugf("could not read the served window from %s: %s", url, e.getMessage());
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }
}
