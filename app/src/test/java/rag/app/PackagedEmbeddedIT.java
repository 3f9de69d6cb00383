package rag.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The packaged service on the embedded default (SQLite + Lucene), plus hostile multipart file names. */
class PackagedEmbeddedIT extends PackagedJourney {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  Map<String, String> backend() {
    return Map.of();
  }

  @Test
  @Order(10)
  void hostileFileNamesGetAClearAnswerOrAreMadeSafeNeverA500() throws Exception {
    for (String broken : new String[] {"line\nbreak.txt", "carriage\rreturn.txt"}) {
      Reply reply = upload(("filename=\"" + broken + "\"").getBytes(StandardCharsets.UTF_8), broken);
      assertThat(reply.status()).as("name %s", broken.replace("\n", "\\n").replace("\r", "\\r")).isEqualTo(400);
      assertThat(reply.contentType()).isEqualTo("application/problem+json");
      assertThat(reply.json().get("detail").asText()).contains("multipart body is malformed", "line break");
    }
    assertAcceptedAs("filename=\"quote\\\"d.txt\"", "quote\"d.txt"); // curl escapes a quote with a backslash
    assertAcceptedAs("filename=\"bare\"quote.txt\"", "bare\"quote.txt");
    assertAcceptedAs("filename=\"bell\u0001\u0007esc\u001b.txt\"", "bell__esc_.txt");
    assertAcceptedAs("filename*=UTF-8''caf%C3%A9%20cr%C3%A8me.txt", "café crème.txt");
    String longName = "x".repeat(1100) + ".txt";
    assertAcceptedAs("filename=\"" + longName + "\"", "x".repeat(251) + ".txt");
    // ISO-8859-1 bytes are not UTF-8: the name keeps a replacement character where the byte was
    Reply latin1 = upload(concat("filename=\"caf".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xE9},
        ".txt\"".getBytes(StandardCharsets.US_ASCII)), "latin1");
    assertThat(latin1.status()).isEqualTo(202);
    assertThat(latin1.json().at("/files/0/name").asText()).isEqualTo("caf\uFFFD.txt");
    assertThat(service.errorLines()).isEmpty();
  }

  private void assertAcceptedAs(String disposition, String expectedName) throws Exception {
    Reply reply = upload(disposition.getBytes(StandardCharsets.UTF_8), expectedName);
    assertThat(reply.status()).as("%s: %s", disposition, reply.body()).isEqualTo(202);
    JsonNode file = reply.json().at("/files/0");
    assertThat(file.get("name").asText()).isEqualTo(expectedName);
    assertThat(file.get("sourcePath").asText()).isEqualTo("names/" + expectedName);
    JsonNode done = JSON.readTree(awaitJob(reply.json().get("jobId").asText()).prettify()).at("/files/0");
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("done");
    String title = http().get("/api/documents/" + done.get("documentId").asText()).then().statusCode(200)
        .extract().jsonPath().getString("sourcePath");
    assertThat(title).isEqualTo("names/" + expectedName);
  }

  record Reply(int status, String contentType, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  /** A multipart upload written byte by byte, so that the file name reaches the server exactly as given. */
  private Reply upload(byte[] dispositionParameter, String content) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--XyZ\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\nnames\r\n--XyZ\r\n"
        + "Content-Disposition: form-data; name=\"file\"; ").getBytes(StandardCharsets.US_ASCII));
    body.write(dispositionParameter);
    body.write(("\r\nContent-Type: text/plain\r\n\r\nA file sent as " + content + " about lighthouses.\r\n--XyZ--\r\n")
        .getBytes(StandardCharsets.UTF_8));
    String head = "POST /api/collections/" + COLLECTION + "-names/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: " + body.size()
        + "\r\nConnection: close\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", service.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      body.writeTo(out);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] response = in.readAllBytes();
      int headEnd = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
      String headers = new String(response, 0, headEnd, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
      int status = Integer.parseInt(headers.substring(9, 12));
      Matcher type = Pattern.compile("content-type: ([^;\r\n]+)").matcher(headers);
      byte[] payload = Arrays.copyOfRange(response, headEnd + 4, response.length);
      if (headers.contains("transfer-encoding: chunked")) {
        payload = unchunk(payload);
      }
      return new Reply(status, type.find() ? type.group(1) : null, new String(payload, StandardCharsets.UTF_8));
    }
  }

  private static byte[] unchunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
    int at = 0;
    while (true) {
      int lineEnd = indexOf(chunked, crlf, at);
      int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).strip(), 16);
      if (size == 0) {
        return out.toByteArray();
      }
      out.write(chunked, lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("malformed HTTP response");
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
