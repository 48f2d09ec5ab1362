package io.eventstream.core.presence;

import io.eventstream.core.event.JsonData;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a node announces over the topic every second, as JSON: its load, and its subscriber counts per channel (and,
 * on channels with presence events, the users reading them).
 *
 * <p>A full report carries every channel with a subscriber on the node; the others only the channels that changed
 * since the previous report ({@code 0} subscribers, no users: gone). {@code seq} counts the node's reports, so a
 * receiver sees a lost one and waits for the next full report ({@code resend} asks every node for one).
 *
 * @param node      the node's id, unique per start
 * @param startedAt when the node started (epoch millis): the oldest node sends the presence events
 * @param at        when the numbers were taken (epoch millis, the node's clock)
 * @param seq       this report's number, from 0
 * @param full      whether {@code counts} and {@code users} are complete rather than changes
 * @param resend    whether the node missed a report of another and asks every node for a full one
 * @param leaving   whether the node is stopping: forget it now
 * @param load      the node's load
 * @param counts    subscribers per channel on the node
 * @param users     known users per channel, for channels with presence events
 */
public record NodeReport(String node, long startedAt, long at, long seq, boolean full, boolean resend, boolean leaving,
                         NodeLoad load, Map<String, Integer> counts, Map<String, Set<String>> users) {

    /** The report as compact JSON. */
    public String toJson() {
        JsonObjectBuilder countsJson = JsonData.JSON.createObjectBuilder();
        counts.forEach(countsJson::add);
        JsonObjectBuilder usersJson = JsonData.JSON.createObjectBuilder();
        users.forEach((channel, names) -> {
            JsonArrayBuilder array = JsonData.JSON.createArrayBuilder();
            names.forEach(array::add);
            usersJson.add(channel, array);
        });
        return JsonData.JSON.createObjectBuilder()
                .add("node", node).add("startedAt", startedAt).add("at", at).add("seq", seq)
                .add("full", full).add("resend", resend).add("leaving", leaving)
                .add("load", JsonData.JSON.createObjectBuilder()
                        .add("connections", load.connections()).add("channels", load.channels())
                        .add("in", load.eventsIn()).add("out", load.eventsOut())
                        .add("resets", load.resets()).add("drops", load.drops()))
                .add("counts", countsJson).add("users", usersJson)
                .build().toString();
    }

    /**
     * Reads a report; throws {@link IllegalArgumentException} saying what is wrong with one that is not (the topic
     * may carry anything a foreign publisher put there).
     */
    public static NodeReport parse(String json) {
        try {
            JsonObject report = JsonData.JSON.createReader(new StringReader(json)).readObject();
            JsonObject load = report.getJsonObject("load");
            Map<String, Integer> counts = new LinkedHashMap<>();
            report.getJsonObject("counts").forEach((channel, count) -> counts.put(channel, ((JsonNumber) count).intValueExact()));
            Map<String, Set<String>> users = new LinkedHashMap<>();
            report.getJsonObject("users").forEach((channel, names) -> {
                Set<String> set = new LinkedHashSet<>();
                for (JsonValue name : names.asJsonArray()) {
                    set.add(((JsonString) name).getString());
                }
                users.put(channel, set);
            });
            return new NodeReport(report.getString("node"), number(report, "startedAt"), number(report, "at"),
                    number(report, "seq"), report.getBoolean("full"), report.getBoolean("resend"), report.getBoolean("leaving"),
                    new NodeLoad((int) number(load, "connections"), (int) number(load, "channels"), number(load, "in"),
                            number(load, "out"), number(load, "resets"), number(load, "drops")),
                    counts, users);
        } catch (RuntimeException e) {
            // JsonException for bad syntax, a plain RuntimeException from Parsson for nesting beyond its limit, and
            // ClassCastException, NullPointerException, ArithmeticException for JSON of another shape.
            throw new IllegalArgumentException("not a presence report: " + e, e);
        }
    }

    private static long number(JsonObject object, String name) {
        return object.getJsonNumber(name).longValueExact();
    }
}
