package io.eventstream.adapter.http;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.access.BearerToken;
import io.eventstream.core.admin.AdminStream;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.presence.ClusterPresence;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonReader;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /admin/...} while {@code eventstream.admin.token} is set: the admin page (or its login form, for a browser
 * without the login cookie) and its files from the library JAR; with the cookie or the token as a bearer, the page's
 * live feed ({@code /admin/stream}) and one channel's subscribers and last events ({@code /admin/channels/{channel}}).
 * Nothing under it that names a channel answers without the token; with the token unset it serves nothing.
 */
public class AdminFilter extends EndpointFilter {

    private static final long serialVersionUID = 1L;
    /** Events {@code /admin/channels/{channel}} shows, newest first. */
    static final int LAST_EVENTS = 20;
    private static final String FOLDER = "admin/";
    private static final String CHANNELS = "/channels/";
    // The page's files, public: they hold no data (the page reads it from the feed once logged in).
    private static final Map<String, String> FILES = Map.of(
            "/admin.js", "text/javascript; charset=utf-8",
            "/admin.css", "text/css; charset=utf-8",
            "/login.js", "text/javascript; charset=utf-8");
    private static final String HTML = "text/html; charset=utf-8";

    @Inject
    transient Settings settings;

    @Inject
    transient AdminStream feed;

    @Inject
    transient ClusterPresence presence;

    @Inject
    transient Hub hub;

    public AdminFilter() {
        super("GET", Endpoints.ADMIN);
    }

    @Override
    protected boolean serves(String path) {
        return settings.adminToken().isPresent();
    }

    @Override
    protected boolean crossOrigin() {
        return false;
    }

    @Override
    protected void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String token = settings.adminToken().orElseThrow();
        if (path.isEmpty()) {
            // The page's files are named relative to it: it must be read as the folder's.
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", request.getRequestURI() + "/");
        } else if (path.equals("/") || path.equals("/index.html")) {
            file(admits(token, request) ? "index.html" : "login.html", HTML, response);
        } else if (FILES.containsKey(path)) {
            file(path.substring(1), FILES.get(path), response);
        } else if (path.equals("/stream")) {
            require(token, request);
            feed.open(NonBlockingResponse.opener(request, response));
        } else if (path.startsWith(CHANNELS)) {
            require(token, request);
            channel(ChannelName.require(path.substring(CHANNELS.length())), response);
        } else {
            throw new EventStreamException(Refusal.NOT_FOUND, "no such admin endpoint: the admin page is at admin/, its"
                    + " feed at admin/stream, a channel at admin/channels/{channel}");
        }
    }

    /** Whether the request carries the login cookie, or the token itself as a bearer (for scripts). */
    static boolean admits(String token, HttpServletRequest request) {
        Optional<String> bearer = BearerToken.from(request.getHeader("Authorization"));
        if (bearer.isPresent()) {
            return AdminCookie.tokenMatches(token, bearer.get());
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(AdminCookie.NAME) && AdminCookie.verifies(token, cookie.getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void require(String token, HttpServletRequest request) {
        if (!admits(token, request)) {
            throw new EventStreamException(Refusal.UNAUTHORIZED, "log in at the admin page (admin/), or send"
                    + " Authorization: Bearer with the value of eventstream.admin.token");
        }
    }

    private void channel(String channel, HttpServletResponse response) throws IOException {
        List<ChannelEvent> recent = hub.recent(channel, LAST_EVENTS);
        JsonArrayBuilder events = JsonData.JSON.createArrayBuilder();
        for (int i = recent.size() - 1; i >= 0; i--) {
            ChannelEvent event = recent.get(i);
            try (JsonReader data = JsonData.JSON.createReader(new StringReader(event.data()))) {
                events.add(JsonData.JSON.createObjectBuilder().add("id", event.id()).add("event", event.type())
                        .add("data", data.readValue()));
            }
        }
        String body = JsonData.JSON.createObjectBuilder().add("channel", channel)
                .add("subscribers", presence.subscribers(channel)).add("events", events).build().toString();
        response.setHeader("Cache-Control", "no-store");
        JsonAnswer.write(response, HttpServletResponse.SC_OK, body);
    }

    private static void file(String name, String type, HttpServletResponse response) throws IOException {
        try (InputStream content = AdminFilter.class.getResourceAsStream(FOLDER + name)) {
            if (content == null) {
                throw new IllegalStateException("the library JAR lacks " + FOLDER + name);
            }
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(type);
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Referrer-Policy", "no-referrer");
            // Scripts and styles from these files only, the feed and the JSON from this origin, and no framing.
            response.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self';"
                    + " connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
            content.transferTo(response.getOutputStream());
        }
    }
}
