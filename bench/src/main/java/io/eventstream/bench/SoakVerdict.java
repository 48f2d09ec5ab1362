package io.eventstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The soak's pass criteria, checked once everything stopped, printed and written to {@code verdict.txt}:
 * delivery (every subscriber holds every event of its channel exactly once, in order; stream-resets reported),
 * memory (per node, heap after a full collection, open files and threads at the end within 10 % of the same node's
 * warm checkpoint after its last start) and logs (no SEVERE but the accepted ones, listed with their reason).
 */
final class SoakVerdict {

    static final double TOLERANCE = 0.10;

    private final SoakPlan plan;
    private final Path work;
    private final List<String> out = new ArrayList<>();
    private boolean pass = true;

    SoakVerdict(SoakPlan plan, Path work) {
        this.plan = plan;
        this.work = work;
    }

    boolean run() throws IOException, InterruptedException {
        Rendezvous signals = new Rendezvous(plan.sync());
        delivery(signals);
        memory();
        logs();
        out.add("verdict: " + (pass ? "PASS" : "FAIL"));
        String text = String.join("\n", out) + "\n";
        Files.writeString(plan.results().resolve("verdict.txt"), text, StandardCharsets.UTF_8);
        System.out.print(text);
        return pass;
    }

    private void delivery(Rendezvous signals) throws IOException, InterruptedException {
        Map<String, String> published = signals.await("published", 0);
        List<Map<String, String>> finals = signals.awaitAll("final-", plan.clients(), 0);
        if (published == null || finals.size() < plan.clients()) {
            fail("delivery", "no outcome: published " + (published != null) + ", " + finals.size() + " of "
                    + plan.clients() + " subscriber processes reported");
            return;
        }
        Map<String, Long> sum = new LinkedHashMap<>();
        for (String name : List.of("subscribers", "exact", "excused", "excused_lost", "excused_dups", "expected", "held", "lost", "dups", "reordered", "resets",
                "subscribers_with_resets", "dropped", "reconnects", "rotated", "rebalanced", "failed_attempts")) {
            sum.put(name, finals.stream().mapToLong(f -> Long.parseLong(f.get(name))).sum());
        }
        out.add(String.format(Locale.ROOT, "published: %s events (%s over HTTP, %s through EventSender); %s refused and"
                        + " sent again, %s unanswered and sent again (uncertain), %s lanes gave up; latest %s ms behind schedule",
                published.get("published"), published.get("published_http"), published.get("published_sender"),
                published.get("refused"), published.get("unknown"), published.get("abandoned"), published.get("late_max_ms")));
        out.add("subscribers: " + sum);
        // A subscriber told by a stream-reset that its stream is not complete is excused (and reported); every other
        // one must hold exactly what was published.
        long unexcused = sum.get("subscribers") - sum.get("exact") - sum.get("excused");
        boolean ok = unexcused == 0 && sum.get("subscribers").longValue() == plan.subscribers()
                && "0".equals(published.get("abandoned"));
        if (sum.get("dups") > 0) {
            Set<String> uncertain = new HashSet<>(Arrays.asList(published.get("uncertain").split(" ")));
            String firsts = finals.stream().map(f -> f.get("dup_first_seqs")).filter(s -> !s.isEmpty())
                    .reduce((a, b) -> a + " " + b).orElse("");
            long explained = Arrays.stream(firsts.split(" ")).filter(uncertain::contains).count();
            out.add("duplicates: first duplicated channel:seq per subscriber (up to 20 each): " + firsts + "; " + explained
                    + " of them were publishes sent again after no answer (the publisher's doing, not the hub's)");
        }
        finals.stream().map(f -> f.get("examples")).filter(s -> !s.isEmpty()).forEach(s -> out.add("  " + s));
        String resets = sum.get("resets") == 0 ? "no stream-reset" : sum.get("resets") + " stream-resets (to "
                + sum.get("subscribers_with_resets") + " subscribers; none expected with the durable log)";
        verdict("delivery", ok, sum.get("exact") + " of " + plan.subscribers() + " subscribers hold every event of their"
                + " channel exactly once and in order; " + sum.get("excused") + " do not but were told so by a"
                + " stream-reset (excused: " + sum.get("excused_lost") + " missing, " + sum.get("excused_dups")
                + " duplicates); " + unexcused + " not excused; in all lost " + sum.get("lost") + ", duplicates "
                + sum.get("dups") + ", reordered " + sum.get("reordered") + "; " + resets);
    }

    private void memory() throws IOException {
        Path file = plan.results().resolve("checkpoints.csv");
        if (!Files.exists(file)) {
            fail("memory", "no checkpoints.csv");
            return;
        }
        List<String[]> rows = Files.readAllLines(file).stream().skip(1).map(l -> l.split(",", -1)).toList();
        for (int node = 0; node < plan.nodes().size(); node++) {
            String n = String.valueOf(node);
            String[] end = rows.stream().filter(r -> r[1].equals(n) && r[3].equals("end")).reduce((a, b) -> b).orElse(null);
            if (end == null) {
                fail("memory node " + node, "no end checkpoint");
                continue;
            }
            String[] warm = rows.stream().filter(r -> r[1].equals(n) && r[2].equals(end[2]) && r[3].equals("warm"))
                    .findFirst().orElse(null);
            if (warm == null) {
                fail("memory node " + node, "no warm checkpoint for its last start (" + end[2] + ")");
                continue;
            }
            List<String> parts = new ArrayList<>();
            boolean ok = true;
            String[] names = {"heap after full GC MiB", "RSS MiB", "open files", "threads", "streams"};
            for (int k = 0; k < names.length; k++) {
                long w = warm[4 + k].isEmpty() ? -1 : Long.parseLong(warm[4 + k]);
                long e = end[4 + k].isEmpty() ? -1 : Long.parseLong(end[4 + k]);
                double change = w > 0 ? (e - w) / (double) w : Double.NaN;
                boolean judged = k == 0 || k == 2 || k == 3;
                boolean within = w > 0 && Math.abs(change) <= TOLERANCE;
                ok &= !judged || within;
                parts.add(String.format(Locale.ROOT, "%s %d -> %d (%+.1f %%)%s", names[k], w, e, change * 100,
                        judged ? (within ? "" : " OUT") : " (not judged)"));
            }
            verdict("memory node " + node, ok, "start " + end[2] + ", warm at " + warm[0] + " s, end at " + end[0]
                    + " s: " + String.join(", ", parts));
        }
    }

    private void logs() throws IOException {
        List<Path> logs;
        try (Stream<Path> s = Files.walk(work)) {
            logs = s.filter(p -> p.getFileName().toString().equals("server.log")).sorted().toList();
        }
        List<SoakLogs.Severe> severe = new SoakLogs(brokerOutages()).scan(logs);
        long refused = severe.stream().filter(s -> s.acceptedBecause() == null).count();
        severe.stream().filter(s -> s.acceptedBecause() != null).map(SoakLogs.Severe::acceptedBecause).distinct()
                .forEach(reason -> out.add("  accepted SEVERE (" + severe.stream().filter(s -> reason.equals(s.acceptedBecause()))
                        .count() + "): " + reason));
        severe.stream().filter(s -> s.acceptedBecause() == null).limit(20)
                .forEach(s -> out.add("  SEVERE in " + work.relativize(s.log()) + ": " + shorten(s.text())));
        verdict("logs", refused == 0, logs.size() + " node logs, " + severe.size() + " SEVERE records, " + refused
                + " not accepted");
    }

    /** The broker's restarts from {@code events.csv} (epoch ms, what): from its stop to a minute after it was back. */
    private List<long[]> brokerOutages() throws IOException {
        Path file = plan.results().resolve("events.csv");
        List<long[]> outages = new ArrayList<>();
        long stopped = -1;
        for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
            String[] f = line.split(",");
            if (f.length < 2 || !f[0].matches("\\d+")) {
                continue;
            }
            if (f[1].equals("broker-stop")) {
                stopped = Long.parseLong(f[0]);
            } else if (f[1].equals("broker-up") && stopped > 0) {
                outages.add(new long[] {stopped, Long.parseLong(f[0]) + 60_000});
                stopped = -1;
            }
        }
        return outages;
    }

    private static String shorten(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }

    private void verdict(String criterion, boolean ok, String detail) {
        pass &= ok;
        out.add((ok ? "PASS " : "FAIL ") + criterion + ": " + detail);
    }

    private void fail(String criterion, String detail) {
        verdict(criterion, false, detail);
    }
}
