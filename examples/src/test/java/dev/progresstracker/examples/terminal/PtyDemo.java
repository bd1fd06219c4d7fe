package dev.progresstracker.examples.terminal;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunStatus;

/** Run by {@link TerminalViewPtyIT} inside a pseudo-terminal: a run from 0 to 100 % with milestones, as the demo draws it. */
public final class PtyDemo {

    public static void main(String[] args) throws Exception {
        System.out.println("Run pty-run — a header line");
        try (TerminalView view = TerminalView.create(System.out, false)) {
            for (int i = 0; i <= 40; i++) {
                double percent = i * 2.5;
                RunStatus status = i == 40 ? RunStatus.COMPLETED : RunStatus.IN_PROGRESS;
                view.render(new ProgressLine(
                        "pty-run",
                        status,
                        "data-plane-with-a-long-phase-name",
                        percent,
                        new Eta(600 - i * 15L, (600 - i * 15L) * 4 / 5, (600 - i * 15L) * 6 / 5, 0.8, "adaptive"),
                        i / 4,
                        10,
                        3.5));
                if (i % 10 == 5) {
                    view.note("  → milestone " + i);
                }
                Thread.sleep(5);
            }
            view.note(System.console() != null ? "console: yes" : "console: no");
        }
        System.out.println("final line");
    }
}
