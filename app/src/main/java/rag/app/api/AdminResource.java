package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.storage.Archive;
import rag.app.security.Requires;
import rag.app.security.Requires.On;
import rag.storage.keys.AccessLevel;

@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
  @Inject
  Archive archive;

  @POST
  @Path("/optimize")
  @Operation(summary = "Compact the indexes after a bulk load (Lucene: merge to one segment; pgvector: ANALYZE);"
      + " slow on large archives, searches keep working meanwhile")
  @Requires(on = On.EVERY_COLLECTION, level = AccessLevel.ADMIN)
  public Map<String, String> optimize() {
    long start = System.nanoTime();
    String result = archive.optimize();
    return Map.of("result", result, "seconds", String.format(Locale.ROOT, "%.1f",
        (System.nanoTime() - start) / 1e9));
  }
}
