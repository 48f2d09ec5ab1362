package io.eventstream.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real ActiveMQ Artemis broker in its own JVM, from the {@code apache-artemis} distribution the build
 * unpacks: one instance created once, which can be killed and started again on the same port.
 */
public final class ArtemisProcess implements AutoCloseable {

    public static final String USER = "hub";
    public static final String PASSWORD = "hub-secret";

    private final Path instance;
    private final int port;
    private HubProcess process;
    private int starts;

    private ArtemisProcess(Path instance, int port) {
        this.instance = instance;
        this.port = port;
    }

    /** Creates a broker instance (no persistence, login required, one acceptor for every protocol) and starts it. */
    static ArtemisProcess createAndStart() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("artemis.home", "target/apache-artemis-2.40.0"));
        Path instance = Files.createTempDirectory(HubProcess.TARGET.toAbsolutePath(), "artemis-instance-");
        int port = HubProcess.freePort();
        HubProcess create = HubProcess.start("artemis-create", List.of("bash", home.resolve("bin/artemis").toString(),
                "create", instance.toString(), "--force", "--silent", "--user", USER, "--password", PASSWORD,
                "--require-login", "--no-web", "--no-autotune", "--host", "127.0.0.1", "--default-port", String.valueOf(port),
                "--no-amqp-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor", "--no-mqtt-acceptor",
                "--disable-persistence", "--java-memory", "512M"), instance);
        create.awaitExit(Duration.ofSeconds(60));
        ArtemisProcess broker = new ArtemisProcess(instance, port);
        broker.start();
        return broker;
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the broker and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        process = HubProcess.start("artemis-" + ++starts, List.of("bash", instance.resolve("bin/artemis").toString(), "run"),
                instance);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Artemis did not start on port " + port + ":\n" + process.logTail());
            }
            Thread.sleep(200); // the broker gives no other signal of readiness
        }
    }

    /** Kills the broker at once, as a crash would. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.kill(); // nothing is persisted: no reason to wait for a clean shutdown
        }
    }
}
