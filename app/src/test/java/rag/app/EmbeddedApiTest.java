package rag.app;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(TempDataDir.class)
class EmbeddedApiTest extends ApiContract {}
