package io.eventstream.subscribe;

import io.eventstream.access.CorsPolicy;
import io.eventstream.web.Problem;
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
 * Serves {@code GET} on a path prefix as event streams, below JAX-RS, so that each stream is written with the
 * Servlet API's non-blocking output (see {@link ServletConnection}); other methods pass on to JAX-RS. A refused
 * request gets the contract's JSON problem before any byte of stream.
 */
public abstract class StreamFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(StreamFilter.class.getName());

    private final String prefix;

    @Inject
    transient CorsPolicy cors;

    /** @param prefix the path below the context root, e.g. {@code /events} */
    protected StreamFilter(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Validates the request and opens its stream, or throws what the client is told.
     *
     * @param path the decoded path after the prefix: empty, or {@code /} and more
     */
    protected abstract void open(String path, StreamRequest stream, HttpServletRequest request, HttpServletResponse response)
            throws IOException;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!"GET".equals(request.getMethod()) || !(path.equals(prefix) || path.startsWith(prefix + "/"))) {
            chain.doFilter(request, response);
            return;
        }
        cors.addHeaders(request.getHeader(CorsPolicy.ORIGIN), response::addHeader);
        try {
            open(UrlParts.path(path.substring(prefix.length())), StreamRequest.of(request), request, response);
        } catch (RuntimeException e) {
            if (request.isAsyncStarted()) {
                // The stream had started: too late for a status; the client sees the connection end.
                LOG.log(Level.SEVERE, "eventstream: a stream failed as it opened", e);
                request.getAsyncContext().complete();
            } else {
                Problem.of(e).writeTo(response);
            }
        }
    }
}
