package io.eventstream.adapter.http;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * The {@link CorsPolicy} for what JAX-RS serves (publishing, status, preflights), so that a page on an allowed
 * origin can publish and subscribe; requests without an {@code Origin} are not affected.
 */
@Provider
@PreMatching
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String PREFLIGHT_METHOD = "Access-Control-Request-Method";

    @Inject
    CorsPolicy cors;

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString(CorsPolicy.ORIGIN);
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || origin == null
                || request.getHeaderString(PREFLIGHT_METHOD) == null) {
            return;
        }
        if (!cors.allowed(origin)) {
            throw new EventStreamException(Refusal.FORBIDDEN, "origin " + origin + " is not allowed: add it to eventstream.cors.origins");
        }
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID")
                .header("Access-Control-Max-Age", "600")
                .build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        cors.addHeaders(request.getHeaderString(CorsPolicy.ORIGIN), (name, value) -> {
            if (name.equals("Vary")) {
                response.getHeaders().add(name, value);
            } else {
                response.getHeaders().putSingle(name, value);
            }
        });
    }
}
