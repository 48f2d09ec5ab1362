package io.eventstream.web;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.Map;

/** The JSON body of every refused request: {@code {"condition":"bad-request","text":"..."}}. */
public final class Problem {

    private static final Map<Integer, String> CONDITIONS = Map.ofEntries(
            Map.entry(400, "bad-request"),
            Map.entry(401, "unauthorized"),
            Map.entry(403, "forbidden"),
            Map.entry(404, "not-found"),
            Map.entry(405, "method-not-allowed"),
            Map.entry(406, "not-acceptable"),
            Map.entry(413, "too-large"),
            Map.entry(415, "unsupported-media-type"),
            Map.entry(429, "too-many-requests"),
            Map.entry(503, "unavailable"));

    private Problem() {
    }

    /** A response with the given status and the condition the contract names for it. */
    public static Response response(Status status, String text) {
        return response(status.getStatusCode(), text);
    }

    static Response response(int status, String text) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("condition", CONDITIONS.getOrDefault(status, status >= 500 ? "internal-error" : "bad-request"))
                .add("text", text);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString()).build();
    }
}
