package io.eventstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server's CPU time and resident memory from /proc, summed over the process and its descendants (nginx's
 * workers, Pushpin's condure, proxy and handler) or over several servers (the cluster's nodes), and a JVM's heap
 * after a full GC through jcmd.
 */
final class ProcessProbe {

    /** USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on Linux x86-64. */
    static final long TICKS_PER_SECOND = 100;

    private final int[] roots;

    /** Probes the trees of these processes together; the first one is the JVM that jcmd asks. */
    ProcessProbe(int... roots) {
        this.roots = roots.clone();
    }

    int root() {
        return roots[0];
    }

    /**
     * Waits until the trees use under 10 % of a core, for at most {@code seconds}: a JVM compiles and deploys for
     * a while after it answers. Returns whether they went quiet.
     */
    boolean awaitQuiet(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            long cpu0 = cpuMicros();
            Thread.sleep(1000);
            if (cpuMicros() - cpu0 < 100_000) {
                return true;
            }
        }
        return false;
    }

    /** Process ids of the roots and every descendant alive now. */
    List<Integer> tree() {
        Map<Integer, List<Integer>> children = new HashMap<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                String stat = read(dir.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                String[] f = afterComm(stat);
                int pid = Integer.parseInt(dir.getFileName().toString());
                children.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(pid);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Integer> out = new ArrayList<>();
        for (int root : roots) {
            out.add(root);
        }
        for (int i = 0; i < out.size(); i++) {
            out.addAll(children.getOrDefault(out.get(i), List.of()));
        }
        return out;
    }

    /** utime + stime of the tree, in microseconds (threads that ended count through their process). */
    long cpuMicros() {
        long ticks = 0;
        for (int pid : tree()) {
            ticks += ticks(pid);
        }
        return ticks * 1_000_000 / TICKS_PER_SECOND;
    }

    /**
     * CPU time of the JIT compiler threads of the roots (HotSpot names them "C1 CompilerThreadN" and "C2
     * CompilerThreadN"), in microseconds; 0 for a server that is not a JVM. While it is a large share of the server's
     * CPU, the JVM is still compiling: its figures are not yet those of a server that has run for a while.
     */
    long jitCpuMicros() {
        long ticks = 0;
        for (int pid : roots) {
            try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks) {
                    String stat = read(task.resolve("stat"));
                    if (stat != null && stat.matches("(?s)\\d+ \\(C[12] CompilerThre.*")) {
                        ticks += cpuTicks(stat);
                    }
                }
            } catch (IOException | java.io.UncheckedIOException gone) {
                // the process ended: its compiler threads count no more
            }
        }
        return ticks * 1_000_000 / TICKS_PER_SECOND;
    }

    /** Resident set of the tree, in KiB. */
    long rssKib() {
        long kib = 0;
        for (int pid : tree()) {
            String status = read(Path.of("/proc/" + pid + "/status"));
            if (status == null) {
                continue;
            }
            Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
            if (m.find()) {
                kib += Long.parseLong(m.group(1));
            }
        }
        return kib;
    }

    /** Open files of one process: the entries of /proc/PID/fd; -1 when it is gone. */
    static int openFiles(int pid) {
        return entries(Path.of("/proc/" + pid + "/fd"));
    }

    /** Threads of one process: the entries of /proc/PID/task; -1 when it is gone. */
    static int threads(int pid) {
        return entries(Path.of("/proc/" + pid + "/task"));
    }

    private static int entries(Path dir) {
        try (var s = Files.list(dir)) {
            return (int) s.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** CPU time of this very process (the load client), in microseconds. */
    static long selfCpuMicros() {
        return ticks(ProcessHandle.current().pid()) * 1_000_000 / TICKS_PER_SECOND;
    }

    /** Heap in use after a full GC (jcmd GC.run, then GC.heap_info), in KiB; -1 when it cannot be read. */
    long jvmHeapAfterGcKib() {
        try {
            run("jcmd", String.valueOf(root()), "GC.run");
            String info = run("jcmd", String.valueOf(root()), "GC.heap_info");
            Matcher m = Pattern.compile("heap\\s+total\\s+\\d+K, used (\\d+)K").matcher(info);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static long ticks(long pid) {
        String stat = read(Path.of("/proc/" + pid + "/stat"));
        return stat == null ? 0 : cpuTicks(stat);
    }

    /** utime + stime of a process's or thread's stat line, in ticks. */
    private static long cpuTicks(String stat) {
        String[] f = afterComm(stat);
        // After "pid (comm)": state is f[0], utime is field 14 of the whole line, i.e. f[11]; stime f[12].
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String[] afterComm(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
    }

    /** The machine's one-minute load average (/proc/loadavg), or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Counters of the kernel's TCP stack (/proc/net/netstat, TcpExt) that tell how a connect storm was taken in. */
    static Map<String, Long> tcpCounters() {
        Map<String, Long> out = new java.util.TreeMap<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                if (!lines.get(i).startsWith("TcpExt:")) {
                    continue;
                }
                String[] names = lines.get(i).split(" ");
                String[] values = lines.get(i + 1).split(" ");
                for (int k = 1; k < names.length && k < values.length; k++) {
                    if (List.of("ListenOverflows", "ListenDrops", "SyncookiesSent", "SyncookiesRecv", "SyncookiesFailed",
                            "TCPReqQFullDoCookies", "TCPReqQFullDrop", "TCPAbortOnData", "TCPAbortOnTimeout").contains(names[k])) {
                        out.put(names[k], Long.parseLong(values[k]));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no counters then
        }
        return out;
    }
}
