package io.eventstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The shape DESIGN.md asks for, checked on the compiled main classes: three layers, data flowing one way, no cycle
 * between packages. Breaking a rule fails the build with the offending dependency named.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.eventstream");

    @Test
    void noPackageDependsOnAPackageThatDependsBackOnIt() {
        slices().matching("io.eventstream.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theCoreImportsNeitherServletNorJmsNorTheAdapters() {
        ArchRule rule = noClasses().that().resideInAPackage("io.eventstream.core..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "jakarta.jms..", "jakarta.ws.rs..",
                        "org.apache.activemq..", "io.eventstream.adapter..", "io.eventstream.example..");
        rule.check(MAIN);
    }

    @Test
    void theApiDependsOnNothingInternal() {
        noClasses().that().resideInAPackage("io.eventstream.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.eventstream.core..", "io.eventstream.adapter..",
                        "io.eventstream.example..")
                .check(MAIN);
    }

    @Test
    void theAdaptersDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.eventstream.adapter.jms..")
                .should().dependOnClassesThat().resideInAPackage("io.eventstream.adapter.http..").check(MAIN);
        noClasses().that().resideInAPackage("io.eventstream.adapter.http..")
                .should().dependOnClassesThat().resideInAPackage("io.eventstream.adapter.jms..").check(MAIN);
    }

    @Test
    void theExamplesUseOnlyThePublicApi() {
        noClasses().that().resideInAPackage("io.eventstream.example..")
                .should().dependOnClassesThat().resideInAnyPackage("io.eventstream.core..", "io.eventstream.adapter..")
                .check(MAIN);
    }

    @Test
    void theApiHoldsOnlyInterfacesAndTheExceptionAnApplicationCatches() {
        classes().that().resideInAPackage("io.eventstream.api").and().areTopLevelClasses()
                .and().doNotHaveSimpleName("package-info")
                .should().beInterfaces().orShould().beEnums().orShould().beAssignableTo(RuntimeException.class)
                .check(MAIN);
    }
}
