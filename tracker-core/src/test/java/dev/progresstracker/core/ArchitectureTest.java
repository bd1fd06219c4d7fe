package dev.progresstracker.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Core's boundaries: no AWS, no WebSocket, no storage formats, no analytics; Guice only in its guice package. */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.progresstracker.core");

    @Test
    void coreImportsNoAwsSdk() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .check(CORE);
    }

    @Test
    void coreImportsNoWebSocketLibrary() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.java_websocket..", "jakarta.websocket..")
                .check(CORE);
    }

    @Test
    void coreImportsNoOutputModule() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.progresstracker.storage..",
                        "dev.progresstracker.eventbridge..",
                        "dev.progresstracker.callbacks..",
                        "dev.progresstracker.websocket..",
                        "dev.progresstracker.dynamodb..")
                .check(CORE);
    }

    /** Analytics build on core ({@code AnalyticsHook}, {@code RunObserver}, {@code EtaEstimator}), never the reverse. */
    @Test
    void coreImportsNothingFromAnalytics() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.progresstracker.analytics..")
                .check(CORE);
    }

    @Test
    void guiceStaysInTheGuicePackage() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.progresstracker.core.guice..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.google.inject..")
                .check(CORE);
    }

    @Test
    void thePublicApiDoesNotLeakInternals() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.progresstracker.core.event..",
                        "dev.progresstracker.core.spi..",
                        "dev.progresstracker.core.state..",
                        "dev.progresstracker.core.json..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.progresstracker.core.internal..")
                .check(CORE);
    }
}
