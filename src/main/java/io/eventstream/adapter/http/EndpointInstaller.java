package io.eventstream.adapter.http;

import io.eventstream.core.config.Settings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Puts the hub's endpoints into whatever application holds the library, with no {@code web.xml} edit: a
 * {@link ServletContainerInitializer} (listed in {@code META-INF/services}) that registers the endpoint filters
 * below {@code eventstream.path}, or none with {@code eventstream.endpoints=false}.
 *
 * <p>A set-up that cannot work fails the deployment with one log line that says what to fix, never leaves a
 * half-working hub: two copies of the library in one application, a configuration value that cannot be read, a
 * path that one of the application's servlets is mapped to ({@link PathCollisionCheck}).
 */
public class EndpointInstaller implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(EndpointInstaller.class.getName());
    /** The filters' init parameter that holds {@code eventstream.path} ("" for the context root). */
    static final String ROOT = "eventstream.path";
    /** A class only the library has: more than one copy of it on the class path is two copies of the library. */
    private static final String MARKER = "io/eventstream/api/EventSender.class";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        try {
            requireOneCopy(context.getClassLoader());
            Settings settings = Settings.of(ConfigProvider.getConfig(context.getClassLoader()));
            if (!settings.endpoints()) {
                LOG.info(() -> "eventstream: eventstream.endpoints=false: " + where(context, "")
                        + " serves no endpoint (EventSender and Channels still work)");
                return;
            }
            String root = settings.path();
            // Streams and publishing share /events: each filter serves its method and passes the other on.
            install(context, root, EventStreamFilter.class, "/events", "/events/*");
            install(context, root, PublishFilter.class, "/events", "/events/*");
            install(context, root, CustomStreamFilter.class, "/streams", "/streams/*");
            install(context, root, StatusFilter.class, "/status");
            install(context, root, PreflightFilter.class, "/*");
            install(context, root, PageFilter.class, "/*");
            LOG.info(() -> "eventstream: endpoints at " + where(context, root) + "/events, /streams, /status, /eventstream.js");
        } catch (RuntimeException e) {
            LOG.severe(() -> "eventstream: cannot deploy " + where(context, "") + ": " + e.getMessage());
            throw new ServletException("eventstream: " + e.getMessage(), e);
        }
    }

    private static String where(ServletContext context, String root) {
        return (context.getContextPath().isEmpty() ? "/" : context.getContextPath()) + root;
    }

    // Registered before the application's own filters (isMatchAfter false): the hub's requests are answered by the
    // hub's filters alone, so an application filter that does not allow async mode cannot break a stream.
    private static void install(ServletContext context, String root, Class<? extends Filter> filter, String... paths) {
        FilterRegistration.Dynamic registration = context.addFilter("eventstream-" + filter.getSimpleName(), filter);
        if (registration == null) {
            throw new IllegalStateException("a filter named eventstream-" + filter.getSimpleName()
                    + " is registered already: is the library in the application twice?");
        }
        registration.setAsyncSupported(true);
        registration.setInitParameter(ROOT, root);
        String[] patterns = new String[paths.length];
        for (int i = 0; i < paths.length; i++) {
            patterns[i] = root.isEmpty() && paths[i].equals("/*") ? "/*" : root + paths[i];
        }
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, patterns);
    }

    // Two copies (the library JAR twice under different names, or its classes also in WEB-INF/classes) would each
    // start a hub with its own broker and its own beans; which one an application bean gets is left to chance.
    private static void requireOneCopy(ClassLoader loader) {
        List<URL> copies;
        try {
            copies = Collections.list(loader.getResources(MARKER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot look for copies of the library: " + e, e);
        }
        if (copies.size() > 1) {
            throw new IllegalStateException("the library is in this application " + copies.size() + " times ("
                    + copies.stream().map(URL::toString).map(url -> url.replace("!/" + MARKER, "")).toList()
                    + "): keep one eventstream JAR in WEB-INF/lib and no eventstream classes in WEB-INF/classes");
        }
    }

    /** The {@code eventstream.path} a filter was registered with: "" for the context root, else {@code /name}. */
    static String root(FilterConfig config) {
        String root = config.getInitParameter(ROOT);
        return root == null ? "" : root;
    }
}
