package dev.progresstracker.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * The design's module rules over every module at once (examples sees them all): output modules
 * never import each other, the journal depends on no other tracker module (storage and EventBridge
 * build on it, as OkHttp builds on Okio), the consumer library tracker-events on Jackson alone, Guice
 * only in guice packages and here, core free of AWS and
 * WebSocket code and of analytics, analytics on core's public API alone, no module uses another's
 * {@code internal} packages.
 */
class ModuleBoundariesTest {

    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Test jars of other modules (journal's, events') on this module's test class path are tests too.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.progresstracker");

    private static final String[] OUTPUTS = {
        "dev.progresstracker.storage..",
        "dev.progresstracker.eventbridge..",
        "dev.progresstracker.callbacks..",
        "dev.progresstracker.websocket..",
        "dev.progresstracker.dynamodb.."
    };

    @Test
    void outputModulesDoNotImportEachOther() {
        for (String module : OUTPUTS) {
            String[] others = java.util.Arrays.stream(OUTPUTS)
                    .filter(o -> !o.equals(module))
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage(module)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others)
                    .allowEmptyShould(true)
                    .check(ALL);
        }
    }

    @Test
    void journalDependsOnNoOtherTrackerModule() {
        noClasses()
                .that()
                .resideInAPackage("dev.progresstracker.journal..")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.progresstracker..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("dev.progresstracker.journal..")))
                .check(ALL);
    }

    @Test
    void eventBridgeBuildsOnTheJournalNotOnStorage() {
        noClasses()
                .that()
                .resideInAPackage("dev.progresstracker.eventbridge..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.progresstracker.storage..")
                .check(ALL);
        ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("dev.progresstracker.eventbridge..")
                .and()
                .haveSimpleName("JournalOutbox")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.progresstracker.journal")
                .check(ALL);
    }

    @Test
    void guiceAppearsOnlyInGuicePackagesAndExamples() {
        noClasses()
                .that()
                .resideOutsideOfPackages("..guice..", "dev.progresstracker.examples..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.google.inject..")
                .check(ALL);
    }

    @Test
    void coreStaysFreeOfAwsWebSocketAndOutputs() {
        noClasses()
                .that()
                .resideInAPackage("dev.progresstracker.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "software.amazon..",
                        "org.java_websocket..",
                        "dev.progresstracker.storage..",
                        "dev.progresstracker.eventbridge..",
                        "dev.progresstracker.websocket..",
                        "dev.progresstracker.callbacks..",
                        "dev.progresstracker.dynamodb..",
                        "dev.progresstracker.analytics..",
                        "dev.progresstracker.journal..")
                .check(ALL);
    }

    @Test
    void theEventsLibraryNeedsNothingButJackson() {
        // Consumers (a Lambda, an SQS reader) get the event model without the tracker, the AWS SDK or Guice.
        ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("dev.progresstracker.events..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.progresstracker.events..", "java..", "com.fasterxml.jackson..")
                .check(ALL);
        ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("dev.progresstracker.examples.consumer..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.progresstracker.examples.consumer..", "dev.progresstracker.events", "java..")
                .check(ALL);
    }

    @Test
    void analyticsBuildsOnCoreAlone() {
        noClasses()
                .that()
                .resideInAPackage("dev.progresstracker.analytics..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(OUTPUTS)
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("dev.progresstracker.core.internal..")
                .check(ALL);
    }

    @Test
    void nothingOutsideAModuleUsesItsInternals() {
        for (String module : new String[] {
            "core", "events", "analytics", "journal", "storage", "eventbridge", "callbacks", "websocket", "dynamodb"
        }) {
            String base = "dev.progresstracker." + module;
            noClasses()
                    .that()
                    .resideOutsideOfPackage(base + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage(base + ".internal..")
                    .allowEmptyShould(true)
                    .check(ALL);
        }
    }
}
