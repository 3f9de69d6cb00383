package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import rag.storage.model.Provenance;

class TranscriptCuesTest {

  @Test
  void timestampsWithAndWithoutHoursCommaOrDot() {
    assertThat(TranscriptCues.millis("00:00:01,500")).isEqualTo(1_500);
    assertThat(TranscriptCues.millis("01:02:03.004")).isEqualTo(3_723_004);
    assertThat(TranscriptCues.millis("02:03.4")).isEqualTo(123_400);
    assertThat(TranscriptCues.millis("2:03.45")).isEqualTo(123_450);
    assertThat(TranscriptCues.millis("100:00:00.000")).isEqualTo(360_000_000L);
  }

  @Test
  void webVttWithHeaderNoteStyleSettingsAndVoices() {
    String vtt = """
        \uFEFFWEBVTT
        Kind: captions

        STYLE
        ::cue { color: red }

        NOTE a comment block,
        over two lines, is not a cue

        a1
        00:01.000 --> 00:02.000 line:0 position:20%
        <v.first.loud Ann Lee>Hello <i>there</i> &amp; welcome</v>
        """;
    List<Section> cues = TranscriptCues.parse(vtt);
    assertThat(cues).containsExactly(new Section("Hello there & welcome", Provenance.times(1_000, 2_000, "Ann Lee")));
  }

  @Test
  void subRipWithCrlfMissingBlankLinesAndLabels() {
    String srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\nJOHN: Hi.\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\n"
        + "Still John.\r\n\r\n3\r\n00:00:03,000 --> 00:00:04,000\r\n>> MARY SMITH: Hello.\r\n\r\n"
        + "4\r\n00:00:04,000 --> 00:00:05,000\r\n>> Someone else.\r\n";
    assertThat(TranscriptCues.parse(srt)).containsExactly(
        new Section("Hi.", Provenance.times(1_000, 2_000, "JOHN")),
        new Section("Still John.", Provenance.times(2_000, 3_000, "JOHN")),
        new Section("Hello.", Provenance.times(3_000, 4_000, "MARY SMITH")),
        new Section("Someone else.", Provenance.times(4_000, 5_000, null)));
  }

  @Test
  void endBeforeStartIsClampedAndEmptyCuesDropped() {
    String srt = "1\n00:00:05,000 --> 00:00:04,000\nBackwards.\n\n2\n00:00:06,000 --> 00:00:07,000\n<i></i>\n";
    assertThat(TranscriptCues.parse(srt)).containsExactly(new Section("Backwards.", Provenance.times(5_000, 5_000, null)));
  }

  @Test
  void textWithoutTimingLinesHasNoCues() {
    assertThat(TranscriptCues.parse("WEBVTT\n\nno cues here\n")).isEmpty();
  }
}
