package io.eventstream.web;

import io.eventstream.access.AccessRefusedException;
import io.eventstream.broker.BrokerUnavailableException;
import io.eventstream.event.EventTooLargeException;
import io.eventstream.event.InvalidEventException;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A refused request as the contract words it: a status, the JSON body {@code {"condition":"bad-request","text":"..."}}
 * and the headers that go with the status; the same whether JAX-RS or a servlet filter answers.
 *
 * @param status  the HTTP status
 * @param text    what to fix, for the client
 * @param headers extra response headers, e.g. {@code Retry-After} with a 429
 */
public record Problem(int status, String text, Map<String, String> headers) {

    private static final Logger LOG = Logger.getLogger(Problem.class.getName());

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

    /** A problem with no extra header. */
    public static Problem of(int status, String text) {
        return new Problem(status, text, Map.of());
    }

    /**
     * What the client is told about a failure, with one log line: a 4xx says what to fix, a 5xx says to read the
     * server log (which has the stack trace), and no stack trace ever reaches a client.
     */
    public static Problem of(Throwable failure) {
        if (failure instanceof EventTooLargeException) {
            return refused(413, failure.getMessage());
        }
        if (failure instanceof InvalidEventException) {
            return refused(400, failure.getMessage());
        }
        if (failure instanceof AccessRefusedException refused) {
            Problem problem = refused(refused.status(), refused.getMessage());
            return switch (refused.status()) {
                case 401 -> new Problem(401, problem.text(), Map.of("WWW-Authenticate", "Bearer realm=\"eventstream\""));
                case 429 -> new Problem(429, problem.text(), Map.of("Retry-After", "10"));
                default -> problem;
            };
        }
        if (failure instanceof BrokerUnavailableException) {
            LOG.warning(() -> "eventstream: " + failure.getMessage());
            return of(503, failure.getMessage());
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            LOG.fine(() -> "eventstream: " + status + " " + failure.getMessage());
            Status known = Status.fromStatusCode(status);
            return of(status, known == null ? "request refused" : known.getReasonPhrase());
        }
        LOG.log(Level.SEVERE, "eventstream: request failed", failure);
        return of(500, "internal error; the server log has the details");
    }

    private static Problem refused(int status, String text) {
        LOG.info(() -> "eventstream: refused a request (" + status + "): " + text);
        return of(status, text);
    }

    /** The JSON body. */
    public String json() {
        return Json.createObjectBuilder()
                .add("condition", CONDITIONS.getOrDefault(status, status >= 500 ? "internal-error" : "bad-request"))
                .add("text", text)
                .build().toString();
    }

    /** This problem as a JAX-RS response. */
    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(json());
        headers.forEach(response::header);
        return response.build();
    }

    /** Writes this problem as the whole response of a request no JAX-RS resource serves. */
    public void writeTo(HttpServletResponse response) throws IOException {
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_JSON);
        byte[] body = json().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
