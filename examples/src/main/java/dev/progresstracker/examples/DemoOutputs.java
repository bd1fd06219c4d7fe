package dev.progresstracker.examples;

import com.google.inject.Injector;
import com.google.inject.Module;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The demo's optional outputs: WebSocket + dashboard, EventBridge + CloudWatch. */
final class DemoOutputs {

    List<Module> modules(Function<String, String> env, PrintStream out) {
        return new ArrayList<>();
    }

    void describe(Injector injector, PrintStream out) {
    }
}
