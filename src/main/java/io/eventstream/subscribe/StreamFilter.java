package io.eventstream.subscribe;

import io.eventstream.web.EndpointFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves {@code GET} on a path prefix as event streams, each written with the Servlet API's non-blocking
 * output (see {@link ServletConnection}). A refused request gets its JSON problem before any byte of stream.
 */
public abstract class StreamFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;

    /** @param prefix the path below the context root, e.g. {@code /events} */
    protected StreamFilter(String prefix) {
        super("GET", prefix, true);
    }

    /**
     * Validates the request and opens its stream, or throws what the client is told.
     *
     * @param path the decoded path after the prefix: empty, or {@code /} and more
     */
    protected abstract void open(String path, StreamRequest stream, HttpServletRequest request, HttpServletResponse response)
            throws IOException;

    @Override
    protected final void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        open(path, StreamRequest.of(request), request, response);
    }
}
