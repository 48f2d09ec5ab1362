package io.eventstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flat JSON objects of strings, numbers and nulls, one a line: how the client writes its figures, and how the
 * report and the cluster scenario's processes read them back.
 */
final class JsonLine {

    private JsonLine() {
    }

    /** The fields every figure set starts with: when, which mode, which server, which scenario. */
    static Map<String, Object> begin(boolean smoke, Target target, String scenario) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("time", Instant.now().toString());
        r.put("mode", smoke ? "smoke" : "full");
        r.put("target", target.label());
        r.put("scenario", scenario);
        return r;
    }

    static String format(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (var e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(Target.jsonString(e.getKey())).append(':');
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Number) {
                sb.append(v);
            } else {
                sb.append(Target.jsonString(v.toString()));
            }
        }
        return sb.append('}').toString();
    }

    static void append(Path file, Map<String, ?> fields) throws IOException {
        Files.writeString(file, format(fields) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** A figure as the tables show it: whole above 100, two decimals above 1, three below; -1 for NaN and infinity. */
    static double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return -1;
        }
        double scale = Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 1 ? 100 : 1000;
        return Math.round(v * scale) / scale;
    }

    /** A number for a label or a log line: without ".0" when it is whole. */
    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Microseconds as rounded milliseconds; null for a negative value (no sample). */
    static Double ms(long micros) {
        return micros < 0 ? null : round(micros / 1000.0);
    }

    /** Numbers as one field's text: {@code 1,2,3}. */
    static String list(long[] values) {
        return java.util.Arrays.stream(values).mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    /** The numbers of a field that {@link #list} wrote. */
    static long[] longs(String list) {
        return java.util.Arrays.stream(list.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /** Parses what {@link #format} writes: every value as its text, null as "null". */
    static Map<String, String> parse(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = json.indexOf('{') + 1;
        while (i < json.length()) {
            i = skip(json, i);
            if (json.charAt(i) == '}') {
                break;
            }
            StringBuilder key = new StringBuilder();
            i = string(json, i, key);
            i = skip(json, i) + 1; // ':'
            i = skip(json, i);
            String value;
            if (json.charAt(i) == '"') {
                StringBuilder v = new StringBuilder();
                i = string(json, i, v);
                value = v.toString();
            } else {
                int end = i;
                while (end < json.length() && ",}".indexOf(json.charAt(end)) < 0) {
                    end++;
                }
                value = json.substring(i, end).trim();
                i = end;
            }
            out.put(key.toString(), value);
            i = skip(json, i);
            if (i < json.length() && json.charAt(i) == ',') {
                i++;
            }
        }
        return out;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int string(String s, int i, StringBuilder out) {
        i++; // opening quote
        while (s.charAt(i) != '"') {
            char c = s.charAt(i++);
            if (c == '\\') {
                char e = s.charAt(i++);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        return i + 1;
    }
}
