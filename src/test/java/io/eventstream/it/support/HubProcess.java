package io.eventstream.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A server process the test starts itself (a hub node on Payara Micro or WildFly, or a broker), with its
 * output in {@code target/processes/<name>.log}; for suites that need more than Arquillian's one container.
 * It can be stopped (gracefully or by a kill) and started again with the same command: same port, same
 * directories, same {@code eventstream.broker.data-dir}, the output appended to the same log.
 */
public final class HubProcess implements AutoCloseable {

    /** The embedded broker's journal directory: each hub process gets its own, under its scratch directory. */
    public static final String DATA_DIR = "eventstream.broker.data-dir";
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(60);

    public static final Path TARGET = Path.of(System.getProperty("eventstream.target", "target"));
    public static final Path WAR = Path.of(System.getProperty("eventstream.war", "target/eventstream.war"));
    /** The deploy recipe's pre-boot command file, which every Payara Micro node of the tests runs. */
    public static final Path PRE_BOOT = Path.of("deploy/payara-micro/pre-boot.asadmin");
    /**
     * The JVM options of every Payara Micro node the tests start (arquillian.xml gives its container the same).
     * C1 only: a start is CPU-bound JIT work, and without C2 a node is up in about 19 s instead of 26 on this
     * 2-core machine (measured 2026-12-01: 22.9-28.3 s in five starts, 18.0-20.5 s in four), which the suite's
     * 43 starts feel. The tests check behaviour, not speed; the deploy recipes and the bench keep the full JIT.
     */
    private static final List<String> PAYARA_JVM_OPTIONS = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");

    // Every socket binding of standalone-full.xml; the port offset moves them all, including those that
    // have no property of their own (IIOP, transaction recovery), so two servers never collide.
    private static final int[] WILDFLY_FULL_PORTS = {8080, 8443, 8009, 9990, 9993, 3528, 3529, 4712, 4713};

    private final String name;
    private final ProcessBuilder builder; // kept to start the same command again
    private final Path log;
    // Replaced by startAgain(), which the test thread calls, as it does every other method; volatile for the
    // threads that only read it (a failing await in another thread).
    private volatile Process process;
    private int port; // set by the factories that start a hub
    private Path failureMarker; // a file whose appearance means the deployment failed, where the server writes one
    private Path scratch; // the server's own directory, created by the factory and deleted on close
    // Made afresh for every start: the server's state from its last run, which Payara Micro would deploy from again
    // before deploying the WAR it is given. The data directory is elsewhere in the scratch directory.
    private Path runtime;
    private String hubPath = "/eventstream/"; // where the hub's endpoints are: the standalone WAR's context root

    private HubProcess(String name, ProcessBuilder builder, Process process, Path log) {
        this.name = name;
        this.builder = builder;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with its output in the log; call {@link #awaitHttp} or similar to wait for it. */
    static HubProcess start(String name, List<String> command, Path workDir) throws IOException {
        return start(name, new ProcessBuilder(command).directory(workDir.toFile()));
    }

    private static HubProcess start(String name, ProcessBuilder builder) throws IOException {
        Path logs = Files.createDirectories(TARGET.resolve("processes"));
        Path log = logs.resolve(name + ".log");
        Files.deleteIfExists(log); // a fresh log per run; starts again append to it
        Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new HubProcess(name, builder, process, log);
    }

    /**
     * Starts the built WAR on Payara Micro on a free port, with these system properties. Unless they name one,
     * the node's {@value #DATA_DIR} is a fresh directory of its own, kept while the process is stopped and started
     * again, and deleted on {@link #close}.
     *
     * @param javaHome the JDK to run it (Payara Micro 6 on Java 17, 7 on Java 21+)
     */
    public static HubProcess payaraMicro(String name, Path javaHome, Path microJar, Map<String, String> properties)
            throws IOException {
        return payaraMicro(name, javaHome, microJar, WAR, properties);
    }

    /**
     * Starts {@code war} on Payara Micro; see above. Its context root is its file name: {@code eventstream.war}
     * for the hub's endpoints at {@link #base()}, or an application's, with {@link #hubAt}.
     */
    public static HubProcess payaraMicro(String name, Path javaHome, Path microJar, Path war, Map<String, String> properties)
            throws IOException {
        return payaraMicro(name, javaHome, microJar, war, properties, PRE_BOOT);
    }

    /** As above, with another pre-boot command file than the deploy recipe's (a shorter timeout, say). */
    public static HubProcess payaraMicro(String name, Path javaHome, Path microJar, Path war, Map<String, String> properties,
                                         Path preBoot) throws IOException {
        int port = freePort();
        Path scratch = Files.createTempDirectory("payara-" + name);
        Path root = Files.createDirectories(scratch.resolve("root"));
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString()));
        command.addAll(PAYARA_JVM_OPTIONS);
        withDataDir(properties, scratch).forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", microJar.toAbsolutePath().toString(),
                "--deploy", war.toAbsolutePath().toString(),
                "--port", String.valueOf(port), "--nocluster", "--rootdir", root.toString(),
                "--prebootcommandfile", preBoot.toAbsolutePath().toString()));
        HubProcess hub = start(name, command, scratch);
        hub.port = port;
        hub.scratch = scratch;
        hub.runtime = root;
        return hub;
    }

    /**
     * Starts the built WAR on WildFly with {@code standalone-full.xml} as shipped, on free ports, with these
     * system properties. The distribution is left untouched: the server's base directory (configuration,
     * deployments, data, log) is a fresh copy of its {@code standalone/configuration}, and the WAR goes into
     * its {@code deployments} folder for the deployment scanner. {@link #awaitHub} fails as soon as the
     * scanner marks the deployment failed.
     *
     * @param javaHome    the JDK to run it (WildFly 37 runs on Java 17 or later)
     * @param wildFlyHome an unpacked {@code wildfly-dist}
     */
    public static HubProcess wildFly(String name, Path javaHome, Path wildFlyHome, Map<String, String> properties)
            throws IOException {
        return wildFly(name, javaHome, wildFlyHome, List.of(WAR), properties);
    }

    /**
     * Starts WildFly as above with {@code wars} in its deployments folder; {@link #awaitHub} fails when the first of
     * them fails to deploy ({@link #deploymentFailure} tells about the others).
     */
    public static HubProcess wildFly(String name, Path javaHome, Path wildFlyHome, List<Path> wars,
                                     Map<String, String> properties) throws IOException {
        return wildFly(name, javaHome, wildFlyHome, wars, properties, base -> { });
    }

    /** What a test does to a WildFly's own directory before it starts (run a CLI script, add a user). */
    public interface Preparation {
        void prepare(Path base) throws IOException, InterruptedException;
    }

    /** As above, with {@code preparation} run on the server's fresh directory (its copy of the configuration) first. */
    public static HubProcess wildFly(String name, Path javaHome, Path wildFlyHome, List<Path> wars,
                                     Map<String, String> properties, Preparation preparation) throws IOException {
        Path base = Files.createTempDirectory("wildfly-" + name);
        Path configuration = Files.createDirectories(base.resolve("configuration"));
        try (Stream<Path> files = Files.list(wildFlyHome.resolve("standalone/configuration"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, configuration.resolve(file.getFileName()));
            }
        }
        try {
            preparation.prepare(base);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing " + name, e);
        }
        Path deployments = Files.createDirectories(base.resolve("deployments"));
        for (Path war : wars) {
            Files.copy(war, deployments.resolve(war.getFileName()));
        }
        int offset = freePortOffset(WILDFLY_FULL_PORTS);
        List<String> command = new ArrayList<>(List.of("/bin/sh",
                wildFlyHome.resolve("bin/standalone.sh").toAbsolutePath().toString(),
                "-c", "standalone-full.xml",
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + offset));
        withDataDir(properties, base).forEach((key, value) -> command.add("-D" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command).directory(base.toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("JBOSS_HOME", wildFlyHome.toAbsolutePath().toString());
        HubProcess hub = start(name, builder);
        hub.port = 8080 + offset;
        hub.failureMarker = deployments.resolve(wars.get(0).getFileName() + ".failed");
        hub.scratch = base;
        return hub;
    }

    // The caller's data directory, or one in the server's scratch directory: tests never share a journal, and never
    // write into the default one in the user's home.
    private static Map<String, String> withDataDir(Map<String, String> properties, Path scratch) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.putIfAbsent(DATA_DIR, scratch.resolve("eventstream-data").toString());
        if (all.get(DATA_DIR).isEmpty()) {
            all.remove(DATA_DIR); // asked for none: each application names its own, in its own configuration
        }
        return all;
    }

    /** An offset that makes every one of {@code ports} free, at the time of the call. */
    static int freePortOffset(int... ports) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            // Every port + offset stays below the ephemeral range, as freePort's do.
            int offset = ThreadLocalRandom.current().nextInt(LOWEST_PORT, BELOW_EPHEMERAL - Arrays.stream(ports).max().orElse(0));
            if (Arrays.stream(ports).allMatch(port -> isFree(port + offset))) {
                return offset;
            }
        }
        throw new IOException("no port offset leaves all of " + Arrays.toString(ports) + " free");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A JDK of at least this feature version: the one running the tests when it is new enough, else the newest
     * {@code /usr/lib/jvm/temurin-*} that is; fails when there is none.
     */
    public static Path javaHome(int minimumFeature) throws IOException {
        Path current = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() >= minimumFeature) {
            return current;
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> temurins = Files.newDirectoryStream(Path.of("/usr/lib/jvm"), "temurin-*")) {
            temurins.forEach(candidates::add);
        } catch (NoSuchFileException e) {
            // no JDKs there
        }
        return candidates.stream()
                .filter(home -> Files.isExecutable(home.resolve("bin/java")) && feature(home) >= minimumFeature)
                .max(Comparator.comparingInt(HubProcess::feature))
                .orElseThrow(() -> new AssertionError("no JDK " + minimumFeature + "+ here: the tests run on Java "
                        + Runtime.version().feature() + " and /usr/lib/jvm has no such temurin-*"));
    }

    // JAVA_VERSION="25.0.1" in the JDK's release file.
    private static int feature(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Runtime.Version.parse(line.substring(13).replace("\"", "")).feature();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a JDK we can read
        }
        return 0;
    }

    /**
     * Where the hub's endpoints are from now on: {@code /shop/eventstream/} for an application {@code shop.war} that
     * holds the library at its default {@code eventstream.path}.
     */
    public HubProcess hubAt(String path) {
        hubPath = path;
        return this;
    }

    /**
     * Runs a {@code jboss-cli} script on a stopped WildFly's configuration in {@code base} (an embedded server, as
     * an operator would run it on a running one with {@code --connect}).
     */
    public static void runCliOffline(Path javaHome, Path wildFlyHome, Path base, Path script) throws IOException, InterruptedException {
        Path wrapped = base.resolve(script.getFileName() + ".offline.cli");
        Files.writeString(wrapped, "embed-server --server-config=standalone-full.xml --std-out=discard\n"
                + Files.readString(script) + "\nstop-embedded-server\n");
        tool("jboss-cli", javaHome, wildFlyHome, base, List.of(wildFlyHome.resolve("bin/jboss-cli.sh").toAbsolutePath().toString(),
                "-Djboss.server.base.dir=" + base, "--file=" + wrapped));
    }

    /** Adds an application user (for a remote JMS client, say) to the WildFly configuration in {@code base}. */
    public static void addApplicationUser(Path javaHome, Path wildFlyHome, Path base, String user, String password, String group)
            throws IOException, InterruptedException {
        tool("add-user", javaHome, wildFlyHome, base, List.of(wildFlyHome.resolve("bin/add-user.sh").toAbsolutePath().toString(),
                "-a", "-u", user, "-p", password, "-g", group, "-sc", base.resolve("configuration").toString(), "-s"));
    }

    /** Runs {@code :reload} on the running WildFly through its management port, as an operator would. */
    public void reloadWildFly(Path javaHome, Path wildFlyHome) throws IOException, InterruptedException {
        tool("jboss-cli-reload", javaHome, wildFlyHome, scratch, List.of(wildFlyHome.resolve("bin/jboss-cli.sh").toAbsolutePath().toString(),
                "--connect", "--controller=127.0.0.1:" + (9990 + port - 8080), "--command=:reload"));
    }

    private static void tool(String name, Path javaHome, Path wildFlyHome, Path workDir, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of("/bin/sh"))).directory(workDir.toFile());
        builder.command().addAll(command);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("JBOSS_HOME", wildFlyHome.toAbsolutePath().toString());
        start(name, builder).awaitExit(Duration.ofSeconds(120));
    }

    /** What WildFly's deployment scanner wrote about {@code war}: the failure, or empty while it has not failed. */
    public Optional<String> deploymentFailure(String war) throws IOException {
        Path marker = scratch.resolve("deployments").resolve(war + ".failed");
        return Files.exists(marker) ? Optional.of(Files.readString(marker)) : Optional.empty();
    }

    /** The process's whole output so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** The server's root URL, {@code http://127.0.0.1:<port>/}. */
    public URI origin() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The hub's base URL, {@code http://127.0.0.1:<port>/eventstream/} (or as {@link #hubAt} set it). */
    public URL base() {
        try {
            return URI.create("http://127.0.0.1:" + port + hubPath).toURL();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until {@code GET /status} answers (200, or the hub's JSON 503 while its broker is down: not the server's
     * own 503 while the WAR is still deploying), or fails with the log's tail.
     */
    public HubProcess awaitHub(Duration timeout) throws IOException, InterruptedException {
        awaitHttp(URI.create(base() + "status"), timeout);
        return this;
    }

    /** Waits until {@code uri} answers 200, or 503 with a JSON body, or fails with the log's tail. */
    void awaitHttp(URI uri, Duration timeout) throws IOException, InterruptedException {
        // HTTP/1.1: the default HTTP/2 client asks for an h2c upgrade, and after a server that was still starting
        // left one unanswered, a restarted node's /status went unseen for minutes.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (failureMarker != null && Files.exists(failureMarker)) {
                String failed = Files.readString(failureMarker);
                kill(); // a failed start must not outlive the test that made it (its caller never gets to stop it)
                throw new AssertionError(name + ": the deployment failed: " + failed + "\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
                if (response.statusCode() == 200 || response.statusCode() == 503 && json) {
                    return;
                }
                last = String.valueOf(response.statusCode());
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(250); // the process gives no other signal of readiness
        }
        kill(); // as above: nobody else would stop a node that never became ready
        throw new AssertionError(name + " did not answer " + uri + " within " + timeout + " (last: " + last + "):\n"
                + logTail());
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

    static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Stops the process as an orchestrator would (SIGTERM: the JVM runs its shutdown hooks, the server undeploys)
     * and waits until it has exited; fails, after killing it, when it does not exit within a minute.
     */
    public void stop() throws InterruptedException {
        if (!terminate(GRACEFUL_STOP)) {
            throw new AssertionError(name + " did not stop within " + GRACEFUL_STOP + " of SIGTERM, and was killed:\n"
                    + logTail());
        }
    }

    /**
     * Starts the same command again after {@link #stop} or {@link #kill}: the same port and directories (so a
     * node finds its {@value #DATA_DIR} again), its output appended to the same log. Wait for it as after the
     * first start.
     */
    public HubProcess startAgain() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        if (runtime != null) {
            deleteTree(runtime);
            Files.createDirectories(runtime);
        }
        Files.writeString(log, "\n==== " + name + ": started again ====\n", StandardOpenOption.APPEND);
        process = builder.start();
        return this;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process's id: the server's JVM for Payara Micro (started as {@code java -jar}); WildFly's launcher script. */
    public long pid() {
        return process.pid();
    }

    /** Files (sockets included) the process holds open now: the entries of {@code /proc/<pid>/fd} (Linux). */
    public int openFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
            return (int) files.count();
        }
    }

    public String name() {
        return name;
    }

    /** A TCP port free at the time of the call. */
    // Ports are drawn below the kernel's ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 by default),
    // from which every process's outgoing connections take theirs: a port from that range can be taken by one of them
    // before the hub binds it, or while a hub is stopped to be started again on the same port (seen in CI with a load
    // client holding thousands of connections beside it: "Address already in use").
    private static final int LOWEST_PORT = 10_000;
    private static final int BELOW_EPHEMERAL = 32_768;

    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, BELOW_EPHEMERAL);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IOException("no free port between " + LOWEST_PORT + " and " + BELOW_EPHEMERAL);
    }

    // SIGTERM to the whole tree, then SIGKILL to what is left after the grace period; true if all ended on the first.
    private boolean terminate(Duration grace) throws InterruptedException {
        // The whole tree, taken before anything stops: a launcher script (WildFly's standalone.sh) may end
        // before the JVM it started, which is then no longer among its descendants.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        boolean graceful = true;
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
                graceful = false;
            }
        }
        process.waitFor(30, TimeUnit.SECONDS);
        return graceful;
    }

    /** Stops the process gracefully, then forcibly after 20 seconds, and deletes the directory its factory made. */
    @Override
    public void close() throws InterruptedException {
        terminate(Duration.ofSeconds(20));
        if (scratch != null) {
            try {
                deleteTree(scratch);
            } catch (IOException e) {
                // best effort: it is a temporary directory
            }
        }
    }
}
