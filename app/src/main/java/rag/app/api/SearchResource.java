package rag.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import rag.app.api.SearchViews.SearchBody;
import rag.app.api.SearchViews.SearchResponse;
import rag.query.retrieve.ChunkSearch;
import rag.query.retrieve.RetrieverKind;
import rag.query.retrieve.SearchRequest;
import rag.storage.Archive;
import rag.app.security.CurrentCaller;
import rag.app.security.Audit;
import rag.app.security.Requires;
import rag.app.security.Requires.On;

/**
 * Retrieval without generation: ranked chunks with their provenance and documents, for callers that build their own
 * prompts. Maps HTTP to {@link ChunkSearch} and back; the retrieval itself is the query module's.
 */
@Path("/api/collections/{collection}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SearchResource {
  @Inject
  CurrentCaller caller;

  @Inject
  Archive archive;

  @Inject
  ChunkSearch search;

  @Inject
  ObjectMapper json;

  @POST
  @Path("/search")
  @Operation(summary = "Ranked chunks for a query (bm25, dense, hybrid, or hybrid+rerank with a"
      + " configured reranker) with their provenance and documents; no chat model is called")
  @APIResponse(responseCode = "200", description = "The chunks, best first", content = @Content(schema = @Schema(
      implementation = SearchResponse.class)))
  @APIResponse(responseCode = "400", description = "Empty query, unknown retriever, hybrid+rerank without a reranker,"
      + " topK outside 1..200, an unknown field or a value of the wrong type; the detail names the field (application/problem+json)")
  @APIResponse(responseCode = "404", description = "No such collection (application/problem+json)")
  @APIResponse(responseCode = "502", description = "dense: the embedding server refused the query"
      + " (application/problem+json)")
  @APIResponse(responseCode = "503", description = "dense: the embedding server is down or too slow (hybrid falls"
      + " back to BM25 with a warning instead) (application/problem+json)")
  @Requires(on = On.COLLECTION)
  @Audit("search")
  public SearchResponse search(@PathParam("collection") String collection,
      @RequestBody(content = @Content(schema = @Schema(implementation = SearchBody.class))) JsonNode body) {
    CollectionsResource.requireCollection(archive, collection);
    SearchBody b = new StrictJson(json).read(body, SearchBody.class);
    if (b == null || b.query() == null || b.query().isBlank()) {
      throw ProblemException.badRequest("the request needs a non-empty \"query\"");
    }
    SearchRequest request = new SearchRequest(b.query(), QueryViews.Filters.scope(collection, b.filters(), caller.get()),
        RetrieverKind.parse(b.retriever()), b.topK() == null ? SearchRequest.DEFAULT_TOP_K : b.topK());
    return SearchViews.of(request, search.search(request));
  }
}
