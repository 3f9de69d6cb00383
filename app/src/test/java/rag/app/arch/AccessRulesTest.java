package rag.app.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import org.junit.jupiter.api.Test;
import rag.app.security.Requires;

/** Every resource method declares what it needs from the caller's key; the access filter refuses any that does not. */
class AccessRulesTest {
  @Test
  void everyResourceMethodDeclaresItsAccessRule() {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("rag.app");
    methods().that().areAnnotatedWith(GET.class).or().areAnnotatedWith(POST.class).or().areAnnotatedWith(PUT.class)
        .or().areAnnotatedWith(DELETE.class).or().areAnnotatedWith(PATCH.class)
        .should().beAnnotatedWith(Requires.class)
        .because("rag.app.security.AccessFilter checks what @Requires names before the method runs")
        .check(classes);
  }
}
