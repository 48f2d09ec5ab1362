package io.eventstream.custom;

import io.eventstream.access.AccessPolicy;
import io.eventstream.access.AccessRefusedException;
import io.eventstream.subscribe.ClientStream;
import io.eventstream.subscribe.ClientStreams;
import io.eventstream.subscribe.ServletConnection;
import io.eventstream.subscribe.StreamFilter;
import io.eventstream.subscribe.StreamRequest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code GET /streams/{name}}: serves the {@link StreamSource} bean named {@code name}. */
@WebFilter(urlPatterns = "/streams/*", asyncSupported = true)
public class CustomStreamFilter extends StreamFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CustomStreamFilter.class.getName());

    @Inject
    @Any
    transient Instance<StreamSource> sources;

    @Inject
    transient ClientStreams streams;

    @Inject
    transient AccessPolicy access;

    public CustomStreamFilter() {
        super("/streams");
    }

    @Override
    protected void open(String path, StreamRequest request, HttpServletRequest servletRequest,
                        HttpServletResponse response) throws IOException {
        String name = path.isEmpty() ? "" : path.substring(1);
        Instance<StreamSource> named = sources.select(NamedLiteral.of(name));
        if (name.isEmpty() || !named.isResolvable()) {
            throw new AccessRefusedException(404, "no custom stream is named '" + name + "'");
        }
        StreamSource source = named.get();
        String user = request.reader(access).user();
        ClientStream stream = streams.open(ServletConnection.start(servletRequest, response), null);
        try {
            source.open(new ScheduledClient(name, stream, streams.scheduler(), request, user));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "eventstream: custom stream '" + name + "' failed to open; closing this client", e);
            stream.close();
        }
    }
}
