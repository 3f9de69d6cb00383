package rag.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.junit.jupiter.api.Test;

/** Whatever escapes a resource, Errors included, is a problem+json 500 with an error id, never Quarkus' own page. */
@QuarkusTest
@WithTestResource(TempDataDir.class)
class UnexpectedErrorsTest {

  /** Throws what a broken deployment or a bug throws; only in the tests' class path. */
  @Path("/test-only/throw")
  public static class ThrowingResource {
    @GET
    @Path("/{what}")
    public String raise(@PathParam("what") String what) {
      switch (what) {
        case "no-class-def" -> throw new NoClassDefFoundError("org/slf4j/LoggerFactory");
        case "init" -> throw new ExceptionInInitializerError("static init failed");
        case "stack" -> throw new StackOverflowError();
        case "state" -> throw new IllegalStateException("a bug");
        default -> throw new AssertionError("an assertion inside the service");
      }
    }
  }

  @Test
  void errorsAndExceptionsBecomeProblemsWithAnErrorId() {
    for (String what : new String[] {"no-class-def", "init", "stack", "state", "assertion"}) {
      given().get("/test-only/throw/" + what).then().statusCode(500)
          .contentType("application/problem+json")
          .body("type", equalTo("/problems/internal-error"))
          .body("detail", matchesPattern("unexpected error \\(error id [0-9a-f-]{36}, see the server log\\)"))
          .body(not(containsString("LoggerFactory")))
          .body(not(containsString("Error")));
    }
  }
}
