package dev.progresstracker.analytics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The analytics module's boundaries: it builds on core's public API (no {@code core.internal}), on no
 * output module, and keeps Guice in its guice package. (Core's side, "core imports nothing from
 * analytics", is core's {@code ArchitectureTest}.)
 */
class AnalyticsArchitectureTest {

    private static final JavaClasses ANALYTICS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.progresstracker.analytics");

    @Test
    void usesNoInternalPackageOfCore() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.progresstracker.core.internal..")
                .check(ANALYTICS);
    }

    @Test
    void dependsOnNoOutputModule() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.progresstracker.storage..",
                        "dev.progresstracker.eventbridge..",
                        "dev.progresstracker.callbacks..",
                        "dev.progresstracker.websocket..",
                        "dev.progresstracker.dynamodb..",
                        "software.amazon..",
                        "org.java_websocket..")
                .check(ANALYTICS);
    }

    @Test
    void guiceStaysInTheGuicePackage() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.progresstracker.analytics.guice..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.google.inject..")
                .check(ANALYTICS);
    }
}
