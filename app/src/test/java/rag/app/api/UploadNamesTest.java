package rag.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UploadNamesTest {
  private static String name(String header) {
    return UploadNames.fromContentDisposition(header);
  }

  @Test
  void quotedNamesKeepEscapedAndBareQuotesAndSemicolons() {
    assertThat(name("form-data; name=\"file\"; filename=\"report.pdf\"")).isEqualTo("report.pdf");
    assertThat(name("form-data; name=\"file\"; filename=\"say \\\"hi\\\".pdf\"")).isEqualTo("say \"hi\".pdf");
    assertThat(name("form-data; name=\"file\"; filename=\"back\\\\slash.txt\"")).isEqualTo("back\\slash.txt");
    assertThat(name("form-data; name=\"file\"; filename=\"bare\"quote.txt\"")).isEqualTo("bare\"quote.txt");
    assertThat(name("form-data; filename=\"a;b.txt\"; name=\"file\"")).isEqualTo("a;b.txt");
    assertThat(name("form-data; name=\"file\"; filename=plain.txt")).isEqualTo("plain.txt");
  }

  @Test
  void theExtendedNameWinsAndIsPercentDecodedInItsCharset() {
    assertThat(name("form-data; name=\"file\"; filename=\"fallback.txt\"; filename*=UTF-8''caf%C3%A9+1.txt"))
        .isEqualTo("café+1.txt");
    assertThat(name("form-data; name=\"file\"; filename*=ISO-8859-1'fr'caf%E9.txt")).isEqualTo("café.txt");
    assertThat(name("form-data; name=\"file\"; filename=\"fallback.txt\"; filename*=NO-SUCH-CHARSET''x.txt"))
        .isEqualTo("fallback.txt");
  }

  @Test
  void aPartWithoutAFileNameHasNone() {
    assertThat(name("form-data; name=\"path\"")).isNull();
    // "name=" inside another parameter's name is not the file name
    assertThat(name("form-data; myfilename=\"x\"; name=\"file\"")).isNull();
  }
}
