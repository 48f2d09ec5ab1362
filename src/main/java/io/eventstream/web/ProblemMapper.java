package io.eventstream.web;

import io.eventstream.access.AccessRefusedException;
import io.eventstream.broker.BrokerUnavailableException;
import io.eventstream.event.EventTooLargeException;
import io.eventstream.event.InvalidEventException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every exception that reaches JAX-RS into a JSON problem body with one log line: a 4xx says what to
 * fix, a 5xx says to read the server log, and no stack trace ever reaches a client.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof EventTooLargeException) {
            return refused(Status.REQUEST_ENTITY_TOO_LARGE, failure.getMessage());
        }
        if (failure instanceof InvalidEventException) {
            return refused(Status.BAD_REQUEST, failure.getMessage());
        }
        if (failure instanceof AccessRefusedException refused) {
            LOG.info(() -> "eventstream: refused a request (" + refused.status() + "): " + refused.getMessage());
            Response response = Problem.response(refused.status(), refused.getMessage());
            return switch (refused.status()) {
                case 401 -> Response.fromResponse(response).header("WWW-Authenticate", "Bearer realm=\"eventstream\"").build();
                case 429 -> Response.fromResponse(response).header("Retry-After", "10").build();
                default -> response;
            };
        }
        if (failure instanceof BrokerUnavailableException) {
            LOG.warning(() -> "eventstream: " + failure.getMessage());
            return Problem.response(Status.SERVICE_UNAVAILABLE, failure.getMessage());
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            LOG.fine(() -> "eventstream: " + status + " " + failure.getMessage());
            return Problem.response(status, Status.fromStatusCode(status) == null
                    ? "request refused" : Status.fromStatusCode(status).getReasonPhrase());
        }
        LOG.log(Level.SEVERE, "eventstream: request failed", failure);
        return Problem.response(Status.INTERNAL_SERVER_ERROR, "internal error; the server log has the details");
    }

    private static Response refused(Status status, String text) {
        LOG.info(() -> "eventstream: refused a request (" + status.getStatusCode() + "): " + text);
        return Problem.response(status, text);
    }
}
