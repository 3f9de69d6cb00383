package rag.query.generate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes the streaming OpenAI {@code /chat/completions} request body as it goes: each message's
 * content is escaped from its {@link PromptText} straight into the output, never held as one String.
 * The fields are those LangChain4j's {@code OpenAiStreamingChatModel} sends for the same endpoint.
 */
final class ChatRequestJson {

  private static final JsonFactory JSON = new JsonFactory();

  private ChatRequestJson() {
  }

  /** Writes the body to {@code out} and closes it. */
  static void write(ModelEndpoint endpoint, List<PromptMessage> messages, Writer out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("model", endpoint.model());
      json.writeArrayFieldStart("messages");
      for (PromptMessage message : messages) {
        json.writeStartObject();
        json.writeStringField("role", message.role().wireName());
        json.writeFieldName("content");
        // Jackson can only write a String value whole; so open it as a raw value and write the escaped text raw.
        json.writeRawValue("\"");
        EscapingAppendable content = new EscapingAppendable(json);
        message.content().writeTo(content);
        content.flush();
        json.writeRaw('"');
        json.writeEndObject();
      }
      json.writeEndArray();
      if (endpoint.temperature() != null) {
        json.writeNumberField("temperature", endpoint.temperature());
      }
      json.writeNumberField("max_tokens", endpoint.maxAnswerTokens());
      json.writeBooleanField("stream", true);
      json.writeObjectFieldStart("stream_options");
      json.writeBooleanField("include_usage", true);
      json.writeEndObject();
      json.writeEndObject();
    }
  }

  /** Escapes text for the inside of a JSON string (RFC 8259 section 7) and writes it raw, a buffer at a time. */
  static final class EscapingAppendable implements Appendable {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final JsonGenerator json;
    private final char[] buffer = new char[8192];
    private int used;

    EscapingAppendable(JsonGenerator json) {
      this.json = json;
    }

    @Override
    public Appendable append(CharSequence text) throws IOException {
      return append(text == null ? "null" : text, 0, text == null ? 4 : text.length());
    }

    @Override
    public Appendable append(CharSequence text, int start, int end) throws IOException {
      CharSequence source = text == null ? "null" : text;
      for (int i = start; i < end; i++) {
        put(source.charAt(i));
      }
      return this;
    }

    @Override
    public Appendable append(char c) throws IOException {
      put(c);
      return this;
    }

    void flush() throws IOException {
      json.writeRaw(buffer, 0, used);
      used = 0;
    }

    private void put(char c) throws IOException {
      if (used > buffer.length - 6) {
        flush();
      }
      if (c >= 0x20 && c != '"' && c != '\\') {
        buffer[used++] = c;
        return;
      }
      buffer[used++] = '\\';
      switch (c) {
        case '"' -> buffer[used++] = '"';
        case '\\' -> buffer[used++] = '\\';
        case '\n' -> buffer[used++] = 'n';
        case '\r' -> buffer[used++] = 'r';
        case '\t' -> buffer[used++] = 't';
        case '\b' -> buffer[used++] = 'b';
        case '\f' -> buffer[used++] = 'f';
        default -> {
          buffer[used++] = 'u';
          buffer[used++] = '0';
          buffer[used++] = '0';
          buffer[used++] = HEX[c >> 4];
          buffer[used++] = HEX[c & 0xF];
        }
      }
    }
  }
}
