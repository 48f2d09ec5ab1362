package io.eventstream.adapter.http;

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
 * Serves one HTTP method below a path prefix straight from a servlet filter, below JAX-RS: the hub's hot paths
 * (streams, publishing) skip JAX-RS's per-request work, which cost a publish more than a millisecond of CPU on
 * Payara. Other requests pass on to JAX-RS. Every answer carries the CORS headers, and a refusal gets the
 * contract's JSON problem.
 */
public abstract class EndpointFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(EndpointFilter.class.getName());

    private final String method;
    private final String prefix;
    private final boolean barePrefix;

    @Inject
    transient CorsPolicy cors;

    /**
     * @param method     the HTTP method served, e.g. {@code GET}
     * @param prefix     the path below the context root, e.g. {@code /events}
     * @param barePrefix whether the prefix alone is served too, or only paths below it
     */
    protected EndpointFilter(String method, String prefix, boolean barePrefix) {
        this.method = method;
        this.prefix = prefix;
        this.barePrefix = barePrefix;
    }

    /**
     * Answers the request, or throws what the client is told.
     *
     * @param path the decoded path after the prefix: empty, or {@code /} and more
     */
    protected abstract void handle(String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!method.equals(request.getMethod())
                || !((barePrefix && path.equals(prefix)) || path.startsWith(prefix + "/"))) {
            chain.doFilter(request, response);
            return;
        }
        cors.addHeaders(request.getHeader(CorsPolicy.ORIGIN), response::addHeader);
        try {
            handle(UrlParts.path(path.substring(prefix.length())), request, response);
        } catch (RuntimeException e) {
            if (request.isAsyncStarted()) {
                // A stream had started: too late for a status; the client sees the connection end.
                LOG.log(Level.SEVERE, "eventstream: a stream failed as it opened", e);
                request.getAsyncContext().complete();
            } else {
                Problem.of(e).writeTo(response);
            }
        }
    }
}
