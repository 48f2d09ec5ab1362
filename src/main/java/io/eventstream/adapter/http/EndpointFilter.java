package io.eventstream.adapter.http;

import io.eventstream.core.metrics.RefusedRequests;
import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one HTTP method at a path below {@code eventstream.path} straight from a servlet filter: no JAX-RS, whose
 * per-request work cost a publish more than a millisecond of CPU on Payara, and nothing added to the application's
 * own JAX-RS application. Other requests pass on down the chain. Every answer carries the CORS headers (unless
 * {@link #crossOrigin()} says no), and a refusal gets the contract's JSON problem. {@link EndpointInstaller} registers
 * the filters.
 */
public abstract class EndpointFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(EndpointFilter.class.getName());

    private final String method;
    private final String endpoint;
    private String prefix; // eventstream.path and the endpoint, set once in init()

    @Inject
    transient CorsPolicy cors;

    @Inject
    transient RefusedRequests refused;

    /**
     * @param method   the HTTP method served, e.g. {@code GET}
     * @param endpoint the path below {@code eventstream.path}, e.g. {@code /events}; it is served, and paths below it
     */
    protected EndpointFilter(String method, String endpoint) {
        this.method = method;
        this.endpoint = endpoint;
    }

    @Override
    public void init() {
        prefix = EndpointInstaller.root(getFilterConfig()) + endpoint;
    }

    /**
     * Answers the request, or throws what the client is told.
     *
     * @param path the decoded path after the prefix: empty, or {@code /} and more
     */
    protected abstract void handle(String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException;

    /** Refuses a path below an endpoint that has none ({@code /status/x}) with {@code not-found}, saying where it is. */
    protected void requireNothingBelow(String path) {
        if (!path.isEmpty()) {
            String name = endpoint.substring(1);
            throw new EventStreamException(Refusal.NOT_FOUND, "no such endpoint: the " + name + " endpoint is at " + name);
        }
    }

    /** Whether this filter answers {@code path} (decoded, after the prefix); others pass on. All of them, unless overridden. */
    protected boolean serves(String path) {
        return true;
    }

    /**
     * Whether answers carry the CORS headers for {@code eventstream.cors.origins}; the admin page's do not, so no other
     * origin's script reads them with the admin's cookie (which a same-site origin's requests would carry).
     */
    protected boolean crossOrigin() {
        return true;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!method.equals(request.getMethod())
                || !Endpoints.atOrBelow(path, prefix)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            String below = UrlParts.path(path.substring(prefix.length()));
            if (!serves(below)) {
                chain.doFilter(request, response);
                return;
            }
            if (crossOrigin()) {
                cors.addHeaders(request.getHeader(CorsPolicy.ORIGIN), response::addHeader);
            }
            handle(below, request, response);
        } catch (RuntimeException e) {
            if (request.isAsyncStarted()) {
                // A stream had started: too late for a status; the client sees the connection end.
                LOG.log(Level.SEVERE, "eventstream: a stream failed as it opened", e);
                request.getAsyncContext().complete();
            } else {
                if (crossOrigin() && !response.containsHeader("Vary")) {
                    cors.addHeaders(request.getHeader(CorsPolicy.ORIGIN), response::addHeader); // the path did not decode
                }
                Problem.of(e).writeTo(response, refused);
            }
        }
    }
}
