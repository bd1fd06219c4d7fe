package dev.progresstracker.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gathering write: writing the head of the output queue as Java-WebSocket does (peek, write,
 * poll once empty) sends every queued buffer, in order, and the ones behind the head are then found
 * written — also when the socket is full and writes are partial. And the send thread's direct write:
 * only when nothing waits, and the rest of a partial one before anything queued after it.
 */
class GuardedChannelTest {

    private ServerSocketChannel listener;
    private SocketChannel server;
    private SocketChannel client;
    /** The connection's output queue, as Java-WebSocket's; the channel under test writes to {@code server}. */
    private final BlockingQueue<ByteBuffer> queue = new LinkedBlockingQueue<>();

    private GuardedSocketFactory.GuardedChannel ch;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open();
        // Small buffers (set before connecting) so that the socket fills up and writes are partial.
        client.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
        client.connect(listener.getLocalAddress());
        server = listener.accept();
        server.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
        server.configureBlocking(false);
        ch = new GuardedSocketFactory.GuardedChannel(server, server, queue);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        listener.close();
    }

    /** What Java-WebSocket's SocketChannelIOHelper.batch does; true when the queue is empty. */
    private static boolean batch(BlockingQueue<ByteBuffer> queue, GuardedSocketFactory.GuardedChannel ch)
            throws IOException {
        ByteBuffer b = queue.peek();
        while (b != null) {
            ch.write(b);
            if (b.hasRemaining()) {
                return false;
            }
            queue.poll();
            b = queue.peek();
        }
        return true;
    }

    private static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    @Test
    void writingTheHeadWritesTheWholeQueueInOrder() throws IOException {
        ByteBuffer a = buf("alpha-");
        ByteBuffer b = buf("beta-");
        ByteBuffer c = buf("gamma");
        queue.add(a);
        queue.add(b);
        queue.add(c);

        assertThat(ch.write(a)).as("bytes of the head written").isEqualTo(6);
        assertThat(b.hasRemaining()).as("written with the head").isFalse();
        assertThat(c.hasRemaining()).isFalse();
        assertThat(batch(queue, ch)).isTrue();
        assertThat(read(11 + 5)).isEqualTo("alpha-beta-gamma");
    }

    @Test
    void aBufferThatIsNotTheHeadIsWrittenAlone() throws IOException {
        ByteBuffer queued = buf("queued");
        queue.add(queued);
        ch.write(buf("direct"));
        assertThat(queued.remaining()).isEqualTo(6);
        assertThat(read(6)).isEqualTo("direct");
    }

    @Test
    void partialWritesOfAFullSocketKeepTheOrder() throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            byte[] frame = ("frame-" + i + "-" + "x".repeat(i % 3000) + ";").getBytes(StandardCharsets.US_ASCII);
            expected.writeBytes(frame);
            queue.add(ByteBuffer.wrap(frame).asReadOnlyBuffer());
        }
        int total = expected.size(); // ~3 MB through 16 KiB socket buffers
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        int partialRounds = 0;
        while (got.size() < total) {
            if (!batch(queue, ch)) {
                partialRounds++;
            }
            in.clear();
            int n = client.read(in);
            got.write(in.array(), 0, n);
        }
        assertThat(partialRounds).as("the socket filled up at least once").isPositive();
        assertThat(queue).isEmpty();
        assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void aDirectWriteGoesOutAtOnceWhenNothingWaits() throws IOException {
        assertThat(ch.writeDirectly(buf("direct"))).isEqualTo(GuardedSocketFactory.DirectWrite.WRITTEN);
        assertThat(ch.hasUnwritten()).isFalse();
        assertThat(ch.isNeedWrite()).isFalse();
        assertThat(read(6)).isEqualTo("direct");
    }

    @Test
    void aDirectWriteIsNotTriedWhileSomethingIsQueued() throws IOException {
        ByteBuffer queued = buf("queued-");
        queue.add(queued);
        ByteBuffer direct = buf("direct");
        assertThat(ch.writeDirectly(direct)).isEqualTo(GuardedSocketFactory.DirectWrite.NOT_TRIED);
        assertThat(direct.remaining()).as("untouched").isEqualTo(6);
        assertThat(queued.remaining()).isEqualTo(7);
    }

    @Test
    void aDirectWriteIsNotTriedOnTls() throws IOException {
        ByteChannel tls = new ByteChannel() { // stands in for Java-WebSocket's SSLSocketChannel2
                    @Override
                    public int read(ByteBuffer dst) throws IOException {
                        return server.read(dst);
                    }

                    @Override
                    public int write(ByteBuffer src) throws IOException {
                        return server.write(src);
                    }

                    @Override
                    public boolean isOpen() {
                        return server.isOpen();
                    }

                    @Override
                    public void close() throws IOException {
                        server.close();
                    }
                };
        GuardedSocketFactory.GuardedChannel overTls = new GuardedSocketFactory.GuardedChannel(tls, server, queue);
        assertThat(overTls.writeDirectly(buf("direct"))).isEqualTo(GuardedSocketFactory.DirectWrite.NOT_TRIED);
    }

    /**
     * A direct write into a full socket keeps its rest; frames queued afterwards (a pong, the next
     * round) go out only after it, through the selector's writes, and nothing is written directly
     * until it is out.
     */
    @Test
    void theRestOfAPartialDirectWriteGoesOutBeforeAnythingQueuedLater() throws IOException {
        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) 'd');
        big[big.length - 1] = ';';
        assertThat(ch.writeDirectly(ByteBuffer.wrap(big).asReadOnlyBuffer()))
                .as("2 MiB through 16 KiB socket buffers")
                .isEqualTo(GuardedSocketFactory.DirectWrite.PARTLY);
        assertThat(ch.hasUnwritten()).isTrue();
        assertThat(ch.isNeedWrite()).as("keeps the selector's write interest").isTrue();
        queue.add(buf("pong;"));
        queue.add(buf("next-round;"));
        assertThat(ch.writeDirectly(buf("later;"))).isEqualTo(GuardedSocketFactory.DirectWrite.NOT_TRIED);
        queue.add(buf("later;"));

        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        int expected = big.length + "pong;next-round;later;".length();
        while (got.size() < expected) {
            if (batch(queue, ch) && ch.isNeedWrite()) {
                ch.writeMore(); // what batch does when the queue is empty
            }
            in.clear();
            got.write(in.array(), 0, client.read(in));
        }
        String all = got.toString(StandardCharsets.US_ASCII);
        assertThat(all).hasSize(expected);
        assertThat(all.indexOf("pong;"))
                .as("the queued frames start after the direct write")
                .isEqualTo(big.length);
        assertThat(all.substring(0, big.length).replace("d", ""))
                .as("the direct write, whole")
                .isEqualTo(";");
        assertThat(all.substring(big.length)).isEqualTo("pong;next-round;later;");
        assertThat(ch.hasUnwritten()).isFalse();
        assertThat(ch.writeDirectly(buf("direct"))).isEqualTo(GuardedSocketFactory.DirectWrite.WRITTEN);
    }

    private String read(int n) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(n);
        while (in.hasRemaining()) {
            client.read(in);
        }
        return new String(in.array(), StandardCharsets.US_ASCII);
    }
}
