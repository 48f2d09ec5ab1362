package io.eventstream.adapter.http;

import io.eventstream.core.config.Settings;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;

/**
 * Serves the JavaScript client, and the demo page with its files when {@code eventstream.demo} is on, from
 * {@code src/main/webapp/static}: JAX-RS owns the WAR's root, so the container's default servlet never sees these
 * paths.
 */
@Path("")
@RequestScoped
public class PageResource {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    /** Served whatever the configuration: what applications use. */
    private static final Set<String> ALWAYS = Set.of("eventstream.js");

    @Context
    ServletContext servletContext;

    @Inject
    Settings settings;

    @GET
    public Response index() {
        return file("index.html");
    }

    @GET
    @Path("{file: [a-z0-9\\-]+\\.(html|js|css)}")
    public Response file(@PathParam("file") String file) {
        if (!ALWAYS.contains(file) && !settings.demo()) {
            throw new NotFoundException(); // the demo is off (eventstream.demo)
        }
        InputStream content = servletContext.getResourceAsStream("/static/" + file);
        if (content == null) {
            throw new NotFoundException();
        }
        String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        return Response.ok(content, type).header("Cache-Control", "no-cache").build();
    }
}
