package rag.app;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(OldModelArchive.class)
class ReindexApiTest extends ReindexApiContract {}
