package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.eval.EvalViews.ProfileView;
import rag.app.eval.MeasuredEffectiveContexts;
import rag.query.PrefillMeter;
import rag.query.profile.ModelProfiles;
import rag.app.security.Requires;
import rag.app.security.Requires.On;

/** The configured model profiles, so that a client can offer them (the web page's profile choice). */
@Path("/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfilesResource {
  @Inject
  ModelProfiles profiles;

  @Inject
  MeasuredEffectiveContexts measured;

  @Inject
  PrefillMeter prefill;

  /** {@code defaultProfile}: used when a request names none; a profile without a model answers extractively. */
  public record ProfileList(String defaultProfile, List<ProfileView> profiles) {}

  @GET
  @Operation(summary = "Model profiles: window, answer reserve, retrieval budget, and the model (null: extractive)")
  @Requires(on = On.NOTHING)
  public ProfileList list() {
    return new ProfileList(profiles.defaultName(), profiles.all().stream()
        .map(p -> ProfileView.of(p, measured.measurement(p).orElse(null),
            prefill.measurement(p).map(PrefillMeter.Measurement::tokensPerSecond).orElse(null))).toList());
  }
}
