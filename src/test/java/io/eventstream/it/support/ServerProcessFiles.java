package io.eventstream.it.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The open files and threads of the server process that listens on a port, read from {@code /proc} (Linux): the same
 * for a node the test started itself ({@link HubProcess}) and for the one Arquillian started, whose process id the
 * test is never told. The listening socket's inode comes from {@code /proc/net/tcp}/{@code tcp6}; the process is the
 * one with a descriptor on that socket.
 */
public final class ServerProcessFiles {

    private static final Path PROC = Path.of("/proc");
    private static final String LISTEN = "0A"; // the TCP state column of a listening socket

    /** Payara Micro's (Grizzly's) request threads: {@code http-thread-pool::http-listener(N)}, cut to 15 bytes. */
    public static final String PAYARA_WORKERS = "http-thread-poo";
    /** WildFly's (XNIO's) request threads: {@code default task-N}. */
    public static final String WILDFLY_WORKERS = "default task-";

    private final long pid;
    private final int port;
    private String workers = "\0"; // no thread's name starts with it

    private ServerProcessFiles(long pid, int port) {
        this.pid = pid;
        this.port = port;
    }

    /**
     * Counts the threads whose names start with {@code prefix} apart, as the server's request thread pool: it grows
     * under load and keeps its idle threads for minutes (Payara: {@code idle-thread-timeout-seconds}, 900), so they
     * are bounded by the pool's maximum rather than by the baseline.
     */
    public ServerProcessFiles withWorkerPool(String prefix) {
        this.workers = prefix;
        return this;
    }

    /** The process that listens on {@code port} on this machine; fails when there is none. */
    public static ServerProcessFiles listeningOn(int port) throws IOException {
        String inode = listeningInode(port);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, entry -> entry.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                if (holdsSocket(process, inode)) {
                    return new ServerProcessFiles(Long.parseLong(process.getFileName().toString()), port);
                }
            }
        }
        throw new AssertionError("no process holds the socket listening on port " + port + " (inode " + inode + ")");
    }

    // "sl local_address rem_address st ... inode": local address as hex IP:port; both files, since Java listens on tcp6.
    private static String listeningInode(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            for (String line : Files.readAllLines(PROC.resolve(table))) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length > 9 && columns[1].endsWith(hexPort) && columns[3].equals(LISTEN)) {
                    return columns[9];
                }
            }
        }
        throw new AssertionError("nothing listens on port " + port);
    }

    private static boolean holdsSocket(Path process, String inode) {
        String socket = "socket:[" + inode + "]";
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    if (Files.readSymbolicLink(descriptor).toString().equals(socket)) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            // gone, or not ours to read
        }
        return false;
    }

    public long pid() {
        return pid;
    }

    /** How many files (sockets included) the process has open now. */
    public int openFiles() throws IOException {
        return count("fd");
    }

    /** How many threads the process has now. */
    public int threads() throws IOException {
        return count("task");
    }

    private int count(String directory) throws IOException {
        try (Stream<Path> entries = Files.list(PROC.resolve(String.valueOf(pid)).resolve(directory))) {
            return (int) entries.count();
        } catch (NoSuchFileException e) {
            throw new AssertionError("the server process " + pid + " (port " + port + ") is gone");
        }
    }

    /** Open files and threads, and of those the request pool's, at one moment. */
    public record Usage(int openFiles, int threads, int workers) {
        @Override
        public String toString() {
            return openFiles + " open files, " + threads + " threads (" + workers + " request threads)";
        }
    }

    public Usage usage() throws IOException {
        return new Usage(openFiles(), threads(), (int) threadNames().stream().filter(name -> name.startsWith(workers)).count());
    }

    // Each thread's name as the kernel keeps it (/proc/<pid>/task/<tid>/comm: at most 15 bytes).
    private List<String> threadNames() throws IOException {
        try (Stream<Path> tasks = Files.list(PROC.resolve(String.valueOf(pid)).resolve("task"))) {
            return tasks.map(task -> {
                try {
                    return Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    return "(ended)";
                }
            }).toList();
        } catch (NoSuchFileException e) {
            throw new AssertionError("the server process " + pid + " (port " + port + ") is gone");
        }
    }

    /**
     * Waits until the process holds at most {@code fileTolerance} more open files and {@code threadTolerance} more
     * threads outside its request pool than at {@code baseline}, and at most {@code maxWorkers} request threads
     * (pools keep a few threads and files they grew), or fails saying what it holds.
     */
    public Usage awaitBackTo(Usage baseline, int fileTolerance, int threadTolerance, int maxWorkers, Duration timeout)
            throws IOException, InterruptedException {
        Usage[] last = {usage()};
        boolean back = await(() -> {
            try {
                last[0] = usage();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return last[0].openFiles() <= baseline.openFiles() + fileTolerance
                    && last[0].threads() - last[0].workers() <= baseline.threads() - baseline.workers() + threadTolerance
                    && last[0].workers() <= maxWorkers;
        }, timeout);
        if (!back) {
            throw new AssertionError("the server (pid " + pid + ") did not return to its baseline of " + baseline
                    + " (tolerance " + fileTolerance + " files, " + threadTolerance + " threads, at most " + maxWorkers
                    + " request threads) within " + timeout + ": it holds " + last[0] + describeFiles() + describeThreads());
        }
        return last[0];
    }

    // Its threads by name, digits left out, for the failure message.
    private String describeThreads() {
        try {
            return "; threads by name: " + threadNames().stream()
                    .collect(Collectors.groupingBy(name -> name.replaceAll("\\d+", "#"), Collectors.counting()));
        } catch (IOException | AssertionError e) {
            return "";
        }
    }

    // What kinds of files it holds, for the failure message: sockets, pipes, anon inodes, jars...
    private String describeFiles() {
        try (Stream<Path> entries = Files.list(PROC.resolve(String.valueOf(pid)).resolve("fd"))) {
            return "; by kind: " + entries.map(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.contains(":") ? target.substring(0, target.indexOf(':')) : target.substring(target.lastIndexOf('.') + 1);
                } catch (IOException e) {
                    return "closed";
                }
            }).collect(Collectors.groupingBy(kind -> kind, Collectors.counting()));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200); // polling /proc: nothing to wait on
        }
        return true;
    }
}
