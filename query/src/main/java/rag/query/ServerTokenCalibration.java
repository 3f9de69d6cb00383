package rag.query;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.jboss.logging.Logger;
import rag.query.generate.TokenizeClient;
import rag.query.plan.TokenCalibration;
import rag.query.profile.ModelProfile;
import rag.storage.embed.TokenCounter;

/**
 * Calibrates stored token counts against a profile's server: a fixed sample of prose, code and
 * numbers is counted by the server's {@code /tokenize} and by the stored counts' tokenizer, once
 * per profile; their ratio scales the planner's estimates. A server without {@code /tokenize}
 * (or down) leaves the profile uncalibrated, and it is asked again at most every ten minutes.
 */
public final class ServerTokenCalibration implements TokenCalibration {
  private static final Logger LOG = Logger.getLogger(ServerTokenCalibration.class);
  static final String SAMPLE = """
      The lighthouse at Point Reyes was built in 1870; its first-order Fresnel lens came from Paris.
      Keepers wound the clockwork every two hours, logged the weather at 06:00, 12:00 and 18:00, and
      recorded 2,145 hours of fog in 1887. "We trimmed the wicks at dusk," one keeper wrote.
      public int rotationSeconds(Lamp lamp) { return lamp.isFlashing() ? 5 : 0; } // TODO: 7.5 s?
      Die Leuchtturmwärter führten Tagebuch; les gardiens notaient la météo; 灯台守は記録を残した。
      """;

  private final TokenizeClient tokenizer;
  private final TokenCounter stored;
  private final ServerAnswers<OptionalDouble> ratios = new ServerAnswers<>(this::measure, OptionalDouble::isPresent);

  public ServerTokenCalibration(TokenizeClient tokenizer, TokenCounter stored) {
    this.tokenizer = tokenizer;
    this.stored = stored;
  }

  @Override
  public OptionalDouble ratio(ModelProfile profile) {
    if (!profile.hasModel()) {
      return OptionalDouble.empty();
    }
    return ratios.get(profile);
  }

  private OptionalDouble measure(ModelProfile profile) {
    OptionalDouble ratio = OptionalDouble.empty();
    try {
      OptionalInt server = tokenizer.countTokens(QueryPipeline.endpoint(profile), SAMPLE);
      if (server.isPresent() && server.getAsInt() > 0) {
        ratio = OptionalDouble.of((double) server.getAsInt() / stored.count(SAMPLE));
        LOG.infof("profile %s: the server counts %.3f tokens per stored %s token", profile.name(),
            ratio.getAsDouble(), stored.name());
      }
    } catch (RuntimeException ex) {
      LOG.debugf(ex, "token calibration of profile %s failed", profile.name());
    }
    return ratio;
  }
}
