package io.eventstream.core.config;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;

/**
 * Fails the deployment, before any bean exists, when the library is in the application twice (its JAR under two
 * names, or its classes also in {@code WEB-INF/classes}): each copy would start a hub of its own, and the container
 * would fail later on ambiguous beans, naming neither copy. Listed in the library's {@code META-INF/services}.
 */
public class OneCopyCheck implements Extension {

    private static final Logger LOG = Logger.getLogger(OneCopyCheck.class.getName());
    /** A class only the library has: more than one copy of it on the class path is two copies of the library. */
    private static final String MARKER = "io/eventstream/api/EventSender.class";

    void requireOneCopy(@Observes BeforeBeanDiscovery discovery) {
        List<URL> copies;
        try {
            copies = Collections.list(Thread.currentThread().getContextClassLoader().getResources(MARKER));
        } catch (IOException e) {
            throw new IllegalStateException("eventstream: cannot look for copies of the library: " + e, e);
        }
        if (copies.size() > 1) {
            String message = "the library is in this application " + copies.size() + " times ("
                    + copies.stream().map(url -> url.toString().replace("!/" + MARKER, "").replace(MARKER, "")).toList()
                    + "): keep one eventstream JAR in WEB-INF/lib and no eventstream classes in WEB-INF/classes";
            LOG.severe(() -> "eventstream: cannot deploy: " + message);
            throw new IllegalStateException("eventstream: " + message);
        }
    }
}
