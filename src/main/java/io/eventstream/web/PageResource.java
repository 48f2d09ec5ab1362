package io.eventstream.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the demo page and its scripts from {@code src/main/webapp/static}: the JAX-RS application owns the
 * WAR's root, so the container's default servlet never sees these paths.
 */
@Path("")
@RequestScoped
public class PageResource {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    @Context
    ServletContext servletContext;

    @GET
    public Response index() {
        return file("index.html");
    }

    @GET
    @Path("{file: [a-z0-9\\-]+\\.(html|js|css)}")
    public Response file(@PathParam("file") String file) {
        InputStream content = servletContext.getResourceAsStream("/static/" + file);
        if (content == null) {
            throw new NotFoundException();
        }
        String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        return Response.ok(content, type).header("Cache-Control", "no-cache").build();
    }
}
