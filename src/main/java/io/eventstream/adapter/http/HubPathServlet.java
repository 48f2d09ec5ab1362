package io.eventstream.adapter.http;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Holds the hub's paths in the container's servlet mapping, so that a request to an endpoint is matched by path and
 * not handed to the default servlet. Payara's mapper looks every request it would give the default servlet up as a
 * file in the WAR and its JARs (to redirect a directory), and throws a {@code NamingException} when there is none:
 * about 7 % of the CPU of a steady-state {@code POST /events/{channel}} in a profile. The hub's filters answer every
 * request on these paths before the chain reaches a servlet ({@link FallbackFilter} what the others pass on), so
 * this one is reached only by a dispatch other than a request's own, which it refuses with {@code 404} (the
 * standalone WAR's error page gives it the contract's JSON body).
 *
 * <p>{@link PathCollisionCheck} maps it once it has found no servlet of the application on the hub's paths: after
 * every initializer, so that it takes no path from an application servlet (a JAX-RS application's, say) that an
 * initializer maps later.
 */
public class HubPathServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The name it is registered under: the fallback and the collision check know it by it. */
    static final String NAME = "eventstream-endpoints";

    /** Maps the servlet to its {@link #patterns}. */
    static void claim(ServletContext context, String root) {
        ServletRegistration.Dynamic servlet = context.addServlet(NAME, HubPathServlet.class);
        if (servlet == null) {
            throw new IllegalStateException("a servlet named " + NAME + " is registered already: is the library in the"
                    + " application twice?");
        }
        servlet.setAsyncSupported(true);
        var taken = servlet.addMapping(patterns(root).toArray(String[]::new));
        if (!taken.isEmpty()) { // the collision check ran first: only a servlet it cannot see could hold them
            throw new IllegalStateException("the hub's paths " + taken + " are mapped to another servlet already");
        }
    }

    /** The URL patterns it takes: below {@code eventstream.path} all of it, at the context root each endpoint's path. */
    static List<String> patterns(String root) {
        return root.isEmpty() ? Endpoints.paths().stream().map(path -> path + "/*").toList() : List.of(root + "/*");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
}
