package io.eventstream.adapter.http;

import io.eventstream.core.config.Settings;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Fails the deployment when {@code eventstream.path} collides with a servlet mapping of the application: the path
 * itself, a path below it, or a path mapping ({@code /api/*}) the hub's path lies below. Such a servlet would lose
 * requests to the hub's filters, or the hub to it; which one, the client cannot tell. The default servlet
 * ({@code /}), a catch-all {@code /*} and extension mappings ({@code *.jsp}) share the space without collision.
 *
 * <p>Once no servlet collides, it maps the hub's own {@link HubPathServlet} on the hub's paths.
 *
 * <p>It runs when the application starts, after every initializer (JAX-RS's included) has added its servlets. The
 * library's {@code web-fragment.xml} declares it: a listener that {@link EndpointInstaller} added would not be
 * allowed to read the mappings.
 */
public class PathCollisionCheck implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(PathCollisionCheck.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Settings settings = Settings.of(ConfigProvider.getConfig(event.getServletContext().getClassLoader()));
        if (settings.endpoints()) {
            check(settings.path(), event);
            try {
                HubPathServlet.claim(event.getServletContext(), settings.path());
            } catch (IllegalStateException e) {
                LOG.severe(() -> "eventstream: cannot deploy " + event.getServletContext().getContextPath() + ": " + e.getMessage());
                throw new IllegalStateException("eventstream: " + e.getMessage(), e);
            }
        }
    }

    private static void check(String root, ServletContextEvent event) {
        List<String> collisions = new ArrayList<>();
        for (Map.Entry<String, ? extends ServletRegistration> servlet : event.getServletContext().getServletRegistrations().entrySet()) {
            for (String mapping : servlet.getValue().getMappings()) {
                if (collides(root, mapping)) {
                    collisions.add(servlet.getKey() + " at " + mapping);
                }
            }
        }
        if (!collisions.isEmpty()) {
            String message = "eventstream.path=" + (root.isEmpty() ? "/" : root) + " collides with the application's "
                    + String.join(", ", collisions) + ": set eventstream.path to a path of its own, e.g. /eventstream";
            LOG.severe(() -> "eventstream: cannot deploy " + event.getServletContext().getContextPath() + ": " + message);
            throw new IllegalStateException("eventstream: " + message);
        }
    }

    /** Whether a servlet mapped at {@code mapping} shares paths with the hub's endpoints below {@code root}. */
    static boolean collides(String root, String mapping) {
        if (mapping.isEmpty() || mapping.equals("/") || mapping.equals("/*") || mapping.startsWith("*.")) {
            return false;
        }
        String path = mapping.endsWith("/*") ? mapping.substring(0, mapping.length() - 2) : mapping;
        if (root.isEmpty()) {
            // At the context root the hub owns only its endpoints' paths.
            return Endpoints.paths().stream().anyMatch(endpoint -> overlaps(endpoint, path, mapping));
        }
        return overlaps(root, path, mapping);
    }

    // The hub's path and the mapping's share requests: the mapping's path is the hub's or below it, or the mapping
    // is a path mapping (/api/*) the hub's path lies below.
    private static boolean overlaps(String hubPath, String path, String mapping) {
        return Endpoints.atOrBelow(path, hubPath) || mapping.endsWith("/*") && hubPath.startsWith(path + "/");
    }
}
