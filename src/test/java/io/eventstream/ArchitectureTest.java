package io.eventstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.ext.Provider;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
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
    void onlyTheMetricsAdapterKnowsMicrometer() {
        noClasses().that().resideOutsideOfPackage("io.eventstream.adapter.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .check(MAIN);
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
        List<String> adapters = List.of("jms", "http", "jaxrs", "metrics");
        for (String adapter : adapters) {
            String[] others = adapters.stream().filter(other -> !other.equals(adapter))
                    .map(other -> "io.eventstream.adapter." + other + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("io.eventstream.adapter." + adapter + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others).allowEmptyShould(true).check(MAIN);
        }
    }

    // Channels is used from the application's own JAX-RS application: a resource or provider here would be added to it.
    @Test
    void theJaxrsAdapterAndTheApiAddNoResourceOrProviderToAnApplication() {
        noClasses().that().resideInAnyPackage("io.eventstream.adapter.jaxrs..", "io.eventstream.api..")
                .should().beAnnotatedWith(jakarta.ws.rs.Path.class).orShould().beAnnotatedWith(Provider.class)
                .orShould().beAnnotatedWith(ApplicationPath.class)
                .check(MAIN);
    }

    @Test
    void theExamplesUseOnlyThePublicApi() {
        noClasses().that().resideInAPackage("io.eventstream.example..")
                .should().dependOnClassesThat().resideInAnyPackage("io.eventstream.core..", "io.eventstream.adapter..")
                .check(MAIN);
    }

    // API names the design fixed for applications before this rule (javax.xml.transform.stream.StreamSource is
    // rarely imported beside it); renaming it would break every application's custom streams. Channels: the name
    // DESIGN.md gives the injectable channel broadcasters (issue 14); java.nio.channels.Channels is a utility class of
    // static methods that a JAX-RS resource has no reason to import beside it.
    private static final Set<String> PUBLIC_NAMES = Set.of("io.eventstream.api.StreamSource", "io.eventstream.api.Channels");

    @Test
    void noClassIsNamedLikeAJdkOrJakartaType() throws IOException {
        Set<String> taken = platformTypeNames();
        List<String> clashes = MAIN.stream().filter(type -> !type.isAnonymousClass() && !type.getSimpleName().isEmpty())
                .filter(type -> !type.getSimpleName().equals("package-info"))
                .filter(type -> taken.contains(type.getSimpleName()) && !PUBLIC_NAMES.contains(type.getName()))
                .map(JavaClass::getName).sorted().toList();
        assertEquals(List.of(), clashes, "named like a java.*, javax.* or jakarta.* type: rename them");
    }

    /** Simple names of the public types of the JDK (all its modules) and of the Jakarta EE APIs on the class path. */
    private static Set<String> platformTypeNames() throws IOException {
        Set<String> names = new HashSet<>();
        try (var paths = Files.walk(FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules"))) {
            paths.map(Path::toString).forEach(path -> addTypeName(names, path.replaceFirst("^/modules/[^/]+/", "")));
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry)) {
                    jar.stream().map(JarEntry::getName).filter(name -> name.startsWith("jakarta/"))
                            .forEach(name -> addTypeName(names, name));
                }
            }
        }
        return names;
    }

    private static void addTypeName(Set<String> names, String path) {
        if ((path.startsWith("java/") || path.startsWith("javax/") || path.startsWith("jakarta/")) && path.endsWith(".class")
                && !path.contains("/internal/") && !path.contains("/impl/")) {
            String name = path.substring(path.lastIndexOf('/') + 1, path.length() - ".class".length());
            String simple = name.substring(name.lastIndexOf('$') + 1);
            if (!simple.isEmpty() && Character.isUpperCase(simple.charAt(0))) {
                names.add(simple);
            }
        }
    }

    @Test
    void theApiHoldsOnlyInterfacesValuesAndTheExceptionAnApplicationCatches() {
        classes().that().resideInAPackage("io.eventstream.api").and().areTopLevelClasses()
                .and().doNotHaveSimpleName("package-info")
                .should().beInterfaces().orShould().beEnums().orShould().beAssignableTo(RuntimeException.class)
                .orShould().beAssignableTo(Record.class)
                .check(MAIN);
    }
}
