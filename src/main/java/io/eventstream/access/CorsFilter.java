package io.eventstream.access;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
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

    private boolean allowed(String origin) {
        if (origin == null || origins.isEmpty()) {
            return false;
        }
        List<String> list = List.of(origins.get().split(","));
        return list.stream().map(String::trim).anyMatch(allowed -> allowed.equals("*") || allowed.equals(origin));
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString(ORIGIN);
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || origin == null
                || request.getHeaderString(PREFLIGHT_METHOD) == null) {
            return;
        }
        if (!allowed(origin)) {
            request.abortWith(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Json.createObjectBuilder().add("condition", "forbidden")
                            .add("text", "origin not allowed: add it to eventstream.cors.origins").build().toString())
                    .build());
            return;
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
