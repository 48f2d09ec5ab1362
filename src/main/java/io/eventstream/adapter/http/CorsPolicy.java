package io.eventstream.adapter.http;

import io.eventstream.core.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Which origins may read and publish across origins, with credentials: those in {@code eventstream.cors.origins}
 * ({@code *} for any). Other origins get no CORS headers, so browsers keep them out.
 */
@ApplicationScoped
public class CorsPolicy {

    /** The request header that names the page's origin. */
    public static final String ORIGIN = "Origin";

    @Inject
    Settings settings;

    private List<String> allowedOrigins;

    @PostConstruct
    void parseOrigins() {
        allowedOrigins = settings.corsOrigins()
                .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList())
                .orElse(List.of());
    }

    /** Whether a page from {@code origin} may use the hub; false for a request without an origin. */
    public boolean allowed(String origin) {
        return origin != null && (allowedOrigins.contains("*") || allowedOrigins.contains(origin));
    }

    /** Adds the response headers for a request from {@code origin} (which may be null) through {@code header}. */
    public void addHeaders(String origin, BiConsumer<String, String> header) {
        if (allowed(origin)) {
            // The origin itself, never '*': credentials (the token cookie) require it.
            header.accept("Access-Control-Allow-Origin", origin);
            header.accept("Access-Control-Allow-Credentials", "true");
        }
        header.accept("Vary", ORIGIN);
    }
}
