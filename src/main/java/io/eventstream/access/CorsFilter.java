package io.eventstream.access;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Cross-origin access for the origins in {@code eventstream.cors.origins}, with credentials, so that a page on
 * another origin can subscribe (with the {@code eventstream-token} cookie) and publish. Other origins get no
 * CORS headers, so browsers keep them out; requests without an {@code Origin} are not affected.
 */
@Provider
@PreMatching
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String ORIGIN = "Origin";
    private static final String PREFLIGHT_METHOD = "Access-Control-Request-Method";

    @Inject
    @ConfigProperty(name = "eventstream.cors.origins")
    Optional<String> origins;

    private volatile List<String> allowedOrigins; // parsed once, on first use (after injection)

    private boolean allowed(String origin) {
        if (origin == null) {
            return false;
        }
        List<String> allowed = allowedOrigins;
        if (allowed == null) {
            allowed = origins.map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList())
                    .orElse(List.of());
            allowedOrigins = allowed;
        }
        return allowed.contains("*") || allowed.contains(origin);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString(ORIGIN);
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || origin == null
                || request.getHeaderString(PREFLIGHT_METHOD) == null) {
            return;
        }
        if (!allowed(origin)) {
            throw new AccessRefusedException(403, "origin " + origin + " is not allowed: add it to eventstream.cors.origins");
        }
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID")
                .header("Access-Control-Max-Age", "600")
                .build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString(ORIGIN);
        if (allowed(origin)) {
            // The origin itself, never '*': credentials (the token cookie) require it.
            response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
            response.getHeaders().putSingle("Access-Control-Allow-Credentials", "true");
        }
        response.getHeaders().add("Vary", ORIGIN);
    }
}
