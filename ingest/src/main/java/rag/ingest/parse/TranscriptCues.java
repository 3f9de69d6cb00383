package rag.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rag.storage.model.Provenance;

/**
 * Reads WebVTT and SubRip cues from text: one {@link Section} per cue with its start and end in
 * milliseconds and its speaker. Tolerates a BOM, CRLF, missing blank lines between cues, cue
 * settings, NOTE/STYLE/REGION blocks and header lines, timestamps without hours and a comma or a
 * dot before the milliseconds.
 *
 * <p>The speaker comes from a WebVTT voice tag ({@code <v Name>}) or from an upper-case label at
 * the start of the cue ({@code JOHN: hello}, {@code >> JOHN: hello}). A label stays in force for
 * the following cues until another label or a bare {@code >>} (a new, unnamed speaker); a voice
 * tag holds for its own cue only. Markup tags and SRT {@code {\an8}} codes are removed and the
 * usual HTML entities decoded.
 */
final class TranscriptCues {
  private static final String TIME = "((?:\\d+:)?\\d{1,2}:\\d{1,2}(?:[.,]\\d{1,3})?)";
  private static final Pattern TIMING = Pattern.compile("^\\s*" + TIME + "\\s*-->\\s*" + TIME + "(?:\\s.*)?$");
  private static final Pattern INDEX = Pattern.compile("^\\s*\\d+\\s*$");
  private static final Pattern VOICE = Pattern.compile("<v(?:\\.[\\w.-]+)?\\s+([^>]+)>");
  private static final Pattern TAG = Pattern.compile("<[^>]*>|\\{\\\\[^}]*}");
  private static final Pattern LABEL =
      Pattern.compile("^(>>\\s*)?(?:(\\p{Lu}[\\p{Lu}\\p{M}\\d .'\\-]{0,38}[\\p{Lu}\\p{M}\\d.]|\\p{Lu}):\\s+)?");

  private TranscriptCues() {}

  static List<Section> parse(String text) {
    String[] lines = text.replace("\uFEFF", "").split("\r\n|\r|\n", -1);
    List<Section> cues = new ArrayList<>();
    String carried = null;
    int i = 0;
    while (i < lines.length) {
      Matcher timing = TIMING.matcher(lines[i]);
      if (!timing.matches()) {
        i++;
        continue;
      }
      long start = millis(timing.group(1));
      long end = Math.max(start, millis(timing.group(2)));
      List<String> body = new ArrayList<>();
      i++;
      while (i < lines.length && !lines[i].isBlank() && !TIMING.matcher(lines[i]).matches()) {
        body.add(lines[i]);
        i++;
      }
      if (i < lines.length && !body.isEmpty() && TIMING.matcher(lines[i]).matches()
          && INDEX.matcher(body.get(body.size() - 1)).matches()) {
        body.remove(body.size() - 1); // the next SRT cue's number, no blank line before it
      }
      String raw = String.join("\n", body);
      Matcher voice = VOICE.matcher(raw);
      String voiceSpeaker = voice.find() ? voice.group(1).strip() : null;
      String plain = entities(TAG.matcher(raw).replaceAll("")).strip();
      Matcher label = LABEL.matcher(plain);
      if (label.lookingAt() && label.end() > 0) {
        carried = label.group(2) == null ? null : label.group(2).strip();
        plain = plain.substring(label.end()).strip();
      }
      if (plain.isEmpty()) {
        continue;
      }
      String speaker = voiceSpeaker != null ? voiceSpeaker : carried;
      cues.add(new Section(plain, Provenance.times(start, end, speaker)));
    }
    return cues;
  }

  /** {@code [hh:]mm:ss[.ttt]} with a comma or a dot; a fraction of 1 or 2 digits is tenths or hundredths. */
  static long millis(String time) {
    String[] parts = time.replace(',', '.').split(":");
    long hours = parts.length == 3 ? Long.parseLong(parts[0]) : 0;
    long minutes = Long.parseLong(parts[parts.length - 2]);
    String[] seconds = parts[parts.length - 1].split("\\.");
    long millis = 0;
    if (seconds.length > 1) {
      String fraction = (seconds[1] + "00").substring(0, 3);
      millis = Long.parseLong(fraction);
    }
    return ((hours * 60 + minutes) * 60 + Long.parseLong(seconds[0])) * 1000 + millis;
  }

  private static String entities(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ").replace("&lrm;", "\u200E")
        .replace("&rlm;", "\u200F").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
  }
}
