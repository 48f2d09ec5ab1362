package io.eventstream.adapter.http;

import io.eventstream.core.config.Settings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Puts the hub's endpoints into whatever application holds the library, with no {@code web.xml} edit: a
 * {@link ServletContainerInitializer} (listed in {@code META-INF/services}) that registers the endpoint filters
 * below {@code eventstream.path}, or none with {@code eventstream.endpoints=false}.
 *
 * <p>A set-up that cannot work fails the deployment with one log line that says what to fix, never leaves a
 * half-working hub: a configuration value that cannot be read, a path that one of the application's servlets is
 * mapped to ({@link PathCollisionCheck}); two copies of the library are refused earlier, by {@code OneCopyCheck}.
 */
public class EndpointInstaller implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(EndpointInstaller.class.getName());
    /** The filters' init parameter that holds {@code eventstream.path} ("" for the context root). */
    static final String ROOT = "eventstream.path";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        try {
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
            install(context, root, PresenceFilter.class, "/channels", "/channels/*");
            install(context, root, StatusFilter.class, "/status");
            install(context, root, MetricsFilter.class, "/metrics");
            // Installed always: each answers nothing (404 by the fallback) while eventstream.admin.token is unset.
            install(context, root, AdminFilter.class, Endpoints.ADMIN, Endpoints.ADMIN + "/*");
            install(context, root, AdminLoginFilter.class, Endpoints.ADMIN + "/*");
            install(context, root, PreflightFilter.class, "/*");
            install(context, root, PageFilter.class, "/*");
            // Last of all, after the application's filters too: Payara puts each "before" mapping ahead of the earlier
            // ones, WildFly behind them, so only "after" is last on both. The others serve disjoint requests.
            install(context, root, FallbackFilter.class, true, "/*");
            boolean admin = settings.adminToken().isPresent();
            LOG.info(() -> "eventstream: endpoints at " + where(context, root) + " " + String.join(", ", Endpoints.served(admin))
                    + (admin ? "" : " (admin page off: eventstream.admin.token is unset)"));
        } catch (RuntimeException e) {
            LOG.severe(() -> "eventstream: cannot deploy " + where(context, "") + ": " + e.getMessage());
            throw new ServletException("eventstream: " + e.getMessage(), e);
        }
    }

    private static String where(ServletContext context, String root) {
        return (context.getContextPath().isEmpty() ? "/" : context.getContextPath()) + root;
    }

    // Registered before the application's own filters (isMatchAfter false): the hub's requests are answered by the
    // hub's filters alone, so an application filter that does not allow async mode cannot break a stream. Their order
    // among themselves differs by server and does not matter: each serves its own method and paths, passing the rest.
    private static void install(ServletContext context, String root, Class<? extends Filter> filter, String... paths) {
        install(context, root, filter, false, paths);
    }

    private static void install(ServletContext context, String root, Class<? extends Filter> filter, boolean last,
                                String... paths) {
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
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), last, patterns);
    }

    /** The {@code eventstream.path} a filter was registered with: "" for the context root, else {@code /name}. */
    static String root(FilterConfig config) {
        String root = config.getInitParameter(ROOT);
        return root == null ? "" : root;
    }
}
