package io.eventstream.adapter.http;

import io.eventstream.core.stream.SseStreams;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Ends the open streams when the application stops, while the container still serves it, and waits for the container
 * to finish their responses: on WildFly a response completed after that (when the hub's beans are destroyed) found
 * the deployment's services gone and logged three errors with stack traces per stream (46,404 lines after 19,320
 * streams). The library's {@code web-fragment.xml} declares it.
 */
public class StreamsEndAtStop implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(StreamsEndAtStop.class.getName());
    // Long enough for the container's tasks to finish thousands of responses; a stop never waits longer.
    private static final Duration BOUND = Duration.ofSeconds(5);

    @Inject
    SseStreams streams;

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (streams == null) {
            return; // not injected: no CDI, so no hub and no stream
        }
        try {
            int unfinished = streams.endAll(BOUND);
            if (unfinished > 0) {
                LOG.warning(() -> "eventstream: the container had not finished " + unfinished + " of the streams ended at"
                        + " stop after " + BOUND.toSeconds() + " s; it may log errors for them as it stops");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
