package dev.progresstracker.eventbridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder in front of an emulator for fault tests: while closed it resets every connection
 * (the endpoint looks down), while open it forwards, optionally holding each request chunk back
 * for a delay (a slow endpoint). Lets a test restart the emulator and recreate its resources before
 * the sink can reach it again.
 */
final class TcpGate implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-gate");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean open = true;
    private volatile long delayMillis;

    TcpGate(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.execute(this::acceptLoop);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    void open() {
        open = true;
    }

    void close(boolean closed) {
        open = !closed;
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!open) {
                    client.setSoLinger(true, 0);
                    client.close();
                    continue;
                }
                pool.execute(() -> forward(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        try (client;
                Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            pool.execute(() -> pipe(up, client, 0));
            pipe(client, up, delayMillis);
        } catch (IOException e) {
            // The upstream is down or a side hung up: the client sees a reset, like a dead endpoint.
        }
    }

    private void pipe(Socket from, Socket to, long delay) {
        byte[] buf = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (!open) {
                    break;
                }
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // connection over
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
