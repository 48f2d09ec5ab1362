package io.eventstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the figures of a results file side by side: one column per server, then eventstream's ratio to each peer;
 * when the file holds WildFly figures (the same WAR on WildFly), a column for them and their ratio to eventstream
 * on Payara Micro are added.
 */
final class Report {

    private static final String[] TARGETS = {"eventstream", "nchan", "pushpin"};

    private static final String[][] IDLE = {
        {"held", "connections held"},
        {"connect_per_s", "connects/s"},
        {"rss_per_conn_kib", "server RSS KiB/conn"},
        {"heap_per_conn_kib", "heap KiB/conn (after GC)"},
        {"idle_server_cpu_pct", "server CPU % while idle"},
    };

    private static final String[][] FLOW = {
        {"deliveries_per_s", "deliveries/s"},
        {"p50_ms", "latency p50 ms"},
        {"p99_ms", "latency p99 ms"},
        {"p999_ms", "latency p99.9 ms"},
        {"p50_from_send_ms", "latency p50 ms, from the send"},
        {"p99_from_send_ms", "latency p99 ms, from the send"},
        {"publish_late_max_ms", "publisher behind schedule, max ms"},
        {"server_cpu_us_per_delivery", "server CPU µs/delivery"},
        {"server_cpu_pct", "server CPU %"},
        {"server_jit_cpu_pct", "of it JIT compiling %"},
        {"settle_rounds", "rounds before measuring"},
        {"client_cpu_pct", "client CPU %"},
        {"publish_per_s", "published/s"},
        {"publish_rtt_p50_ms", "publish round trip p50 ms"},
        {"publish_rtt_p99_ms", "publish round trip p99 ms"},
        {"lost", "lost"},
        {"dup", "duplicated"},
        {"reordered", "reordered"},
        {"open_at_start", "subscribers at start"},
        {"closed_by_server", "subscribers cut off"},
    };

    /** Before the flow figures of the cluster scenario; "server" there means the nodes together. */
    private static final String[][] CLUSTER = {
        {"nodes", "nodes"},
        {"clients", "client processes"},
        {"held", "connections held"},
        {"held_per_node", "held per node (clients' count)"},
        {"node_count_per_node", "held per node (node's /status)"},
        {"connect_per_s", "connects/s (all nodes)"},
        {"node_rss_mib", "node RSS MiB"},
        {"rss_per_conn_kib", "node RSS KiB/conn"},
        {"heap_per_conn_kib", "heap KiB/conn (after GC)"},
        {"idle_nodes_cpu_pct", "nodes' CPU % while idle"},
    };

    private static final String[][] CLUSTER_AFTER = {
        {"broker_cpu_pct", "broker CPU %"},
    };

    private static final String[][] STORM = {
        {"accepted", "accepted (200)"},
        {"refused_retry_after", "refused 429/503 + Retry-After"},
        {"refused_other", "other statuses"},
        {"no_answer", "no HTTP answer"},
        {"closed_unanswered", "  closed before an answer"},
        {"connect_failed", "  TCP connect failed"},
        {"still_waiting", "  unanswered at the bound"},
        {"connect_per_s", "accepted/s"},
        {"answer_p50_ms", "answer p50 ms"},
        {"answer_p99_ms", "answer p99 ms"},
        {"server_cpu_pct", "server CPU %"},
        {"server_cpu_us_per_answer", "server CPU µs/answer"},
        {"server_jit_cpu_pct", "of it JIT compiling %"},
        {"streams_released_s", "s until the last storm's streams were released"},
        {"load_before", "load average before"},
    };

    private static final String[][] SLOW = {
        {"slow_closed_by_server", "stalled subscribers cut off"},
    };

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Map<String, Map<String, String>>> rows = new LinkedHashMap<>();
        Map<String, String> scenarioOf = new LinkedHashMap<>();
        for (String file : args) {
            for (String text : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                if (text.isBlank()) {
                    continue;
                }
                Map<String, String> r = JsonLine.parse(text);
                String label = r.get("label");
                if (label == null) {
                    continue;
                }
                rows.computeIfAbsent(label, k -> new LinkedHashMap<>()).put(r.get("target"), r);
                scenarioOf.put(label, r.get("scenario"));
            }
        }
        boolean wildfly = rows.values().stream().anyMatch(r -> r.containsKey("wildfly"));
        // Columns: the servers (eventstream, [wildfly,] nchan, pushpin), then es/nchan, es/pushpin[, wildfly/es].
        List<String> targets = new ArrayList<>(List.of(TARGETS));
        if (wildfly) {
            targets.add(1, "wildfly");
        }
        int columns = 2 + targets.size() + (wildfly ? 3 : 2);
        List<String[]> table = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("scenario", "figure"));
        header.addAll(targets);
        header.addAll(List.of("es/nchan", "es/pushpin"));
        if (wildfly) {
            header.add("wildfly/es");
        }
        table.add(header.toArray(new String[0]));
        for (var row : rows.entrySet()) {
            String scenario = scenarioOf.get(row.getKey());
            List<String[]> figures = new ArrayList<>();
            if (scenario.equals("idle")) {
                figures.addAll(List.of(IDLE));
            } else if (scenario.equals("connect-storm")) {
                figures.addAll(List.of(STORM));
            } else if (scenario.equals("connect-shortfall")) {
                figures.add(new String[] {"held", "connections held"});
            } else {
                if (scenario.equals("cluster")) {
                    figures.addAll(List.of(CLUSTER));
                }
                figures.addAll(List.of(FLOW));
                if (scenario.equals("slow")) {
                    figures.addAll(List.of(SLOW));
                } else if (scenario.equals("cluster")) {
                    figures.addAll(List.of(CLUSTER_AFTER));
                }
            }
            boolean first = true;
            for (String[] f : figures) {
                String[] cells = new String[columns];
                cells[0] = first ? row.getKey() : "";
                cells[1] = f[1];
                Map<String, String> values = new LinkedHashMap<>();
                for (int t = 0; t < targets.size(); t++) {
                    Map<String, String> r = row.getValue().get(targets.get(t));
                    values.put(targets.get(t), r == null ? null : r.get(f[0]));
                    cells[2 + t] = format(values.get(targets.get(t)));
                }
                int c = 2 + targets.size();
                cells[c++] = ratio(values.get("eventstream"), values.get("nchan"));
                cells[c++] = ratio(values.get("eventstream"), values.get("pushpin"));
                if (wildfly) {
                    cells[c] = ratio(values.get("wildfly"), values.get("eventstream"));
                }
                table.add(cells);
                first = false;
            }
        }
        int[] width = new int[columns];
        for (String[] cells : table) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], cells[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < table.size(); k++) {
            String[] cells = table.get(k);
            out.append("| ");
            for (int i = 0; i < columns; i++) {
                String c = cells[i];
                String pad = " ".repeat(width[i] - c.length());
                out.append(i < 2 ? c + pad : pad + c).append(" | ");
            }
            out.setLength(out.length() - 1);
            out.append('\n');
            if (k == 0) {
                out.append('|');
                for (int i = 0; i < columns; i++) {
                    out.append(i < 2 ? "-" : "").append("-".repeat(width[i] + (i < 2 ? 1 : 1))).append(i < 2 ? "" : ":").append('|');
                }
                out.append('\n');
            }
        }
        System.out.print(out);
    }

    private static String format(String v) {
        if (v == null || v.equals("null")) {
            return "-";
        }
        try {
            return JsonLine.plain(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static String ratio(String a, String b) {
        try {
            double x = Double.parseDouble(a);
            double y = Double.parseDouble(b);
            if (y == 0 || x < 0 || y < 0) {
                return "-";
            }
            return String.format(Locale.ROOT, "%.2f", x / y);
        } catch (NullPointerException | NumberFormatException e) {
            return "-";
        }
    }
}
