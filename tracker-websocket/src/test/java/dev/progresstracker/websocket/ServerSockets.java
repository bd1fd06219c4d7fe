package dev.progresstracker.websocket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Counts descriptors of this JVM from {@code /proc} (Linux): all of them, and the sockets the
 * server accepted on a port (this process's sockets whose local port is the server's, not listening).
 */
final class ServerSockets {

    private static final Path FDS = Path.of("/proc/self/fd");

    private ServerSockets() {}

    static boolean available() {
        return Files.isDirectory(FDS) && Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** Open descriptors of this process. */
    static int openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(FDS)) {
            return (int) s.count();
        }
    }

    /** Sockets of this process accepted on {@code port}: the server's side of its connections. */
    static int acceptedOn(int port) throws IOException {
        Set<String> mine = new HashSet<>();
        try (Stream<Path> s = Files.list(FDS)) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        mine.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        int n = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String local = f[1];
                int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                boolean listening = f[3].equals("0A");
                if (localPort == port && !listening && mine.contains(f[9])) {
                    n++;
                }
            }
        }
        return n;
    }
}
