package io.eventstream.adapter.http;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.config.Settings;
import io.eventstream.core.metrics.RefusedRequests;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;

/**
 * The last of the hub's filters below {@code eventstream.path}: what none of them served and no servlet of the
 * application would serve either (only the container's default servlet or the hub's {@link HubPathServlet} is
 * left) gets the contract's JSON problem,
 * {@code 405} with {@code Allow} on an endpoint's path ({@code PATCH /events}), {@code 404} elsewhere, instead of the
 * container's HTML page or its {@code 501} for a method it does not know.
 */
public class FallbackFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient RefusedRequests refused;

    @Inject
    transient Settings settings;

    private String root;

    @Override
    public void init() {
        root = EndpointInstaller.root(getFilterConfig());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletMapping mapping = request.getHttpServletMapping();
        if (mapping.getMappingMatch() != MappingMatch.DEFAULT && !HubPathServlet.NAME.equals(mapping.getServletName())) {
            chain.doFilter(request, response); // one of the application's servlets (a JAX-RS application, say)
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length() + root.length());
        String allowed = Endpoints.allowedAt(path, settings.adminToken().isPresent());
        if (allowed != null) {
            response.setHeader("Allow", allowed);
            Problem.of(new EventStreamException(Refusal.METHOD_NOT_ALLOWED,
                    request.getMethod() + " is not served here: use " + allowed)).writeTo(response, refused);
        } else {
            Problem.of(new EventStreamException(Refusal.NOT_FOUND, "no such endpoint: the hub serves events, streams/{name},"
                    + " status, metrics and eventstream.js")).writeTo(response, refused);
        }
    }
}
