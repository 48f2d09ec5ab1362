package io.eventstream.adapter.http;

import io.eventstream.core.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.util.Map;

/**
 * Serves the JavaScript client at {@code eventstream.js} (from the library JAR, in every application), and the demo
 * page with its files ({@code /}, {@code index.html}, {@code demo.js}, {@code demo.css}, from the standalone WAR's
 * {@code WEB-INF/demo} folder) when {@code eventstream.demo} is on. Other paths pass on.
 */
public class PageFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;
    private static final String CLIENT = "/eventstream.js";
    // Below WEB-INF, so the container's default servlet never serves them (with the demo off, or at another path).
    private static final String DEMO_FOLDER = "/WEB-INF/demo/";
    private static final Map<String, String> DEMO = Map.of(
            "", "index.html",
            "/", "index.html",
            "/index.html", "index.html",
            "/demo.js", "demo.js",
            "/demo.css", "demo.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    @Inject
    transient Settings settings;

    public PageFilter() {
        super("GET", "");
    }

    @Override
    protected boolean serves(String path) {
        return path.equals(CLIENT) || settings.demo() && DEMO.containsKey(path) && demoFileExists(DEMO.get(path));
    }

    private boolean demoFileExists(String file) {
        try {
            return getServletContext().getResource(DEMO_FOLDER + file) != null;
        } catch (MalformedURLException e) {
            return false;
        }
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String file = path.equals(CLIENT) ? CLIENT.substring(1) : DEMO.get(path);
        try (InputStream content = path.equals(CLIENT) ? PageFilter.class.getResourceAsStream(file)
                : getServletContext().getResourceAsStream(DEMO_FOLDER + file)) {
            response.setContentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
            response.setHeader("Cache-Control", "no-cache");
            content.transferTo(response.getOutputStream());
        }
    }
}
