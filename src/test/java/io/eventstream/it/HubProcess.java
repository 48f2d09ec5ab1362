package io.eventstream.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server process the test starts itself (a hub node on Payara Micro or WildFly, or a broker), with its
 * output in {@code target/processes/<name>.log}; for suites that need more than Arquillian's one container.
 */
final class HubProcess implements AutoCloseable {

    static final Path TARGET = Path.of(System.getProperty("eventstream.target", "target"));
    static final Path WAR = Path.of(System.getProperty("eventstream.war", "target/eventstream.war"));

    private final String name;
    private final Process process;
    private final Path log;
    private int port; // set by the factories that start a hub

    private HubProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with its output in the log; call {@link #awaitHttp} or similar to wait for it. */
    static HubProcess start(String name, List<String> command, Path workDir) throws IOException {
        Path logs = Files.createDirectories(TARGET.resolve("processes"));
        Path log = logs.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new HubProcess(name, process, log);
    }

    /**
     * Starts the built WAR on Payara Micro on a free port, with these system properties.
     *
     * @param javaHome the JDK to run it (Payara Micro 6 on Java 17, 7 on Java 21+)
     */
    static HubProcess payaraMicro(String name, Path javaHome, Path microJar, Map<String, String> properties)
            throws IOException {
        int port = freePort();
        Path root = Files.createTempDirectory("payara-" + name);
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-Xmx512m"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", microJar.toAbsolutePath().toString(),
                "--deploy", WAR.toAbsolutePath().toString(),
                "--port", String.valueOf(port), "--nocluster", "--rootdir", root.toString()));
        HubProcess hub = start(name, command, root);
        hub.port = port;
        return hub;
    }

    /** The hub's base URL, {@code http://127.0.0.1:<port>/eventstream/}. */
    URL base() {
        try {
            return URI.create("http://127.0.0.1:" + port + "/eventstream/").toURL();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code GET /status} answers (200, or 503 while its broker is down), or fails with the log's tail. */
    HubProcess awaitHub(Duration timeout) throws IOException, InterruptedException {
        awaitHttp(URI.create(base() + "status"), timeout);
        return this;
    }

    /** Waits until {@code uri} answers with any status below 600, or fails with the log's tail. */
    void awaitHttp(URI uri, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                int status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 503) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250); // the process gives no other signal of readiness
        }
        throw new AssertionError(name + " did not answer " + uri + " within " + timeout + ":\n" + logTail());
    }

    /** Waits for a short-lived command to finish, failing with its output unless it succeeded. */
    void awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError(name + " did not finish within " + timeout + ":\n" + logTail());
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(name + " failed with " + process.exitValue() + ":\n" + logTail());
        }
    }

    /** The last lines of the process's output, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** A TCP port free at the time of the call. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops the process gracefully, then forcibly after 20 seconds. */
    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
