package rag.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresBackend.class)
class PostgresApiIT extends ApiContract {
  @Test
  void readinessNamesTheVectorEngine() {
    given().when().get("/q/health/ready").then().statusCode(200).body(containsString("pgvector"));
  }
}
