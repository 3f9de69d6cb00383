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
import rag.app.security.Requires;
import rag.app.security.Requires.On;
import rag.storage.problem.InvalidInputException;

/** Whatever escapes a resource, Errors and plain IllegalArgumentExceptions included, is a problem+json 500 with an error id, never Quarkus' own page. */
@QuarkusTest
@WithTestResource(TempDataDir.class)
class UnexpectedErrorsTest {

  /** Throws what a broken deployment or a bug throws; only in the tests' class path. */
  @Path("/test-only/throw")
  public static class ThrowingResource {
    @GET
    @Path("/{what}")
    @Requires(on = On.NOTHING)
    public String raise(@PathParam("what") String what) {
      switch (what) {
        case "no-class-def" -> throw new NoClassDefFoundError("org/slf4j/LoggerFactory");
        case "init" -> throw new ExceptionInInitializerError("static init failed");
        case "stack" -> throw new StackOverflowError();
        case "state" -> throw new IllegalStateException("a bug");
        case "argument" -> throw new IllegalArgumentException("a bug's argument");
        case "input" -> throw new InvalidInputException("illegal colour 'plaid', must be red or blue");
        default -> throw new AssertionError("an assertion inside the service");
      }
    }
  }

  @Test
  void errorsAndExceptionsBecomeProblemsWithAnErrorId() {
    for (String what : new String[] {"no-class-def", "init", "stack", "state", "argument", "assertion"}) {
      given().get("/test-only/throw/" + what).then().statusCode(500)
          .contentType("application/problem+json")
          .body("type", equalTo("/problems/internal-error"))
          .body("detail", matchesPattern("unexpected error \\(error id [0-9a-f-]{36}, see the server log\\)"))
          .body(not(containsString("LoggerFactory")))
          .body(not(containsString("Error")))
          .body(not(containsString("a bug")));
    }
  }

  /** Only an input the caller got wrong is a 400; its message is the detail. */
  @Test
  void invalidInputIsABadRequestWithItsMessage() {
    given().get("/test-only/throw/input").then().statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("/problems/bad-request"))
        .body("title", equalTo("Bad request"))
        .body("detail", equalTo("illegal colour 'plaid', must be red or blue"))
        .body("instance", equalTo("/test-only/throw/input"));
  }
}
