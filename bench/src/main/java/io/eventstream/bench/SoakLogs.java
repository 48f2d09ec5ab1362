package io.eventstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code SEVERE} records of the soak's node logs (Payara's format: a record starts with {@code [time]} and
 * carries {@code timeMillis} and {@code levelValue: 1000} for SEVERE; a line outside that format that says SEVERE
 * counts too), each either accepted, with the reason, or not. Accepted are only records the run's own outages
 * explain: while the broker was restarting, a node saying it lost its link ({@code eventstream: unhealthy:}), which
 * the README documents as what a node logs when the broker goes away.
 */
final class SoakLogs {

    /** One SEVERE record: which log, when (epoch ms, 0 if unknown), its first lines, and why it is accepted, if so. */
    record Severe(Path log, long timeMillis, String text, String acceptedBecause) {
    }

    private static final Pattern TIME = Pattern.compile("timeMillis: (\\d+)");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    private final List<long[]> brokerOutages; // [stopped, back + grace] in epoch ms

    SoakLogs(List<long[]> brokerOutages) {
        this.brokerOutages = brokerOutages;
    }

    List<Severe> scan(List<Path> logs) throws IOException {
        List<Severe> out = new ArrayList<>();
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                String line = ANSI.matcher(lines.get(i)).replaceAll("");
                boolean record = line.startsWith("[") && line.contains("levelValue: ");
                if (record ? !line.contains("levelValue: 1000") : !line.contains("SEVERE")) {
                    continue;
                }
                StringBuilder text = new StringBuilder(line);
                for (int j = i + 1; record && j < lines.size() && j <= i + 4 && !lines.get(j).startsWith("["); j++) {
                    text.append(" | ").append(lines.get(j).strip());
                }
                Matcher t = TIME.matcher(line);
                long millis = t.find() ? Long.parseLong(t.group(1)) : 0;
                out.add(new Severe(log, millis, text.toString(), accepted(text.toString(), millis)));
            }
        }
        return out;
    }

    private String accepted(String text, long millis) {
        if (text.contains("eventstream: unhealthy:") && duringBrokerOutage(millis)) {
            return "the broker was restarting: the node lost its link and says so (README, Several nodes)";
        }
        return null;
    }

    private boolean duringBrokerOutage(long millis) {
        return brokerOutages.stream().anyMatch(o -> millis >= o[0] - 5_000 && millis <= o[1]);
    }
}
