package io.eventstream.adapter.http;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code OPTIONS} below {@code eventstream.path}: the CORS preflight of a page on an allowed origin
 * ({@link CorsPolicy}), {@code 403} for another origin; a plain {@code OPTIONS} gets the methods served.
 */
public class PreflightFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;
    private static final String METHODS = "GET, POST, OPTIONS";

    public PreflightFilter() {
        super("OPTIONS", "");
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader(CorsPolicy.ORIGIN);
        if (origin != null && request.getHeader("Access-Control-Request-Method") != null) {
            if (!cors.allowed(origin)) {
                throw new EventStreamException(Refusal.FORBIDDEN, "origin " + origin + " is not allowed: add it to eventstream.cors.origins");
            }
            response.setHeader("Access-Control-Allow-Methods", METHODS);
            response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID");
            response.setHeader("Access-Control-Max-Age", "600");
        }
        response.setHeader("Allow", METHODS);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
