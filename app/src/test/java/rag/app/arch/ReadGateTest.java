package rag.app.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rag.storage.Archive;
import rag.storage.catalog.DocumentCatalog;
import rag.storage.lexical.LexicalIndex;
import rag.storage.vector.VectorStore;

/**
 * The service's code (ingest, query, eval, app) reads and writes only through {@link Archive}: it never reaches the
 * raw stores, which would bypass the publish gate and the caller's readable collections. Checked on the compiled
 * classes of every module, as the packaged service runs them.
 */
class ReadGateTest {
  private static final String[] SERVICE = {"rag.ingest..", "rag.query..", "rag.eval..", "rag.app.."};
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    // test classes come from target/test-classes and from the modules' test jars (rag-query's fixtures)
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar")).importPackages("rag");
    // the rules below would pass vacuously if the modules' classes were not on the class path
    for (String module : new String[] {"rag.ingest.", "rag.query.", "rag.eval.", "rag.app."}) {
      assertThat(classes.stream().filter(c -> c.getName().startsWith(module)).count())
          .as("production classes of %s", module).isGreaterThan(10);
    }
  }

  @Test
  void serviceCodeNeverAsksTheArchiveForItsRawStores() {
    ArchRule rule = noClasses().that().resideInAnyPackage(SERVICE)
        .should().callMethod(Archive.class, "internals")
        .because("Archive.internals() bypasses the read gate; it is for storage tests and engine benchmarks");
    rule.check(classes);
  }

  @Test
  void serviceCodeNeverUsesTheRawStores() {
    ArchRule rule = noClasses().that().resideInAnyPackage(SERVICE)
        .should().dependOnClassesThat().belongToAnyOf(DocumentCatalog.class, LexicalIndex.class, VectorStore.class,
            Archive.Internals.class)
        .because("searches and chunk reads go through Archive (published versions, readable collections only)");
    rule.check(classes);
  }
}
