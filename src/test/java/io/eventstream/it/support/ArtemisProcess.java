package io.eventstream.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real ActiveMQ Artemis broker in its own JVM, from the {@code apache-artemis} distribution the build
 * unpacks: one instance created once, which can be killed or stopped and started again on the same port.
 * Without persistence (the default) a restart forgets every queue and message; with it, durable queues and
 * persistent messages survive a stop and a kill.
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
        return createAndStart(false);
    }

    /**
     * Creates a broker instance (login required, one acceptor for every protocol), persistent or not, and starts it.
     * A persistent one keeps its journal in the instance directory, as {@code artemis create} sets it up.
     */
    public static ArtemisProcess createAndStart(boolean persistent) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("artemis.home", "target/apache-artemis-2.40.0"));
        Path instance = Files.createTempDirectory(HubProcess.TARGET.toAbsolutePath(), "artemis-instance-");
        int port = HubProcess.freePort();
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/artemis").toString(),
                "create", instance.toString(), "--force", "--silent", "--user", USER, "--password", PASSWORD,
                "--require-login", "--no-web", "--no-autotune", "--host", "127.0.0.1", "--default-port", String.valueOf(port),
                "--no-amqp-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor", "--no-mqtt-acceptor",
                "--java-memory", "512M"));
        if (!persistent) {
            command.add("--disable-persistence");
        }
        HubProcess create = HubProcess.start("artemis-create", command, instance);
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

    /** Stops the broker gracefully (SIGTERM: Artemis stops itself in its shutdown hook) and waits until it exited. */
    public void stop() throws InterruptedException {
        process.stop();
    }

    /** Whether the broker's process is running (started, and neither stopped nor killed since). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the broker (nothing after the test needs what it persisted) and deletes its instance. */
    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.kill();
        }
        try {
            HubProcess.deleteTree(instance);
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }
}
