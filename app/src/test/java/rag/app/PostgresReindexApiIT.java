package rag.app;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(OldModelArchive.Postgres.class)
class PostgresReindexApiIT extends ReindexApiContract {}
