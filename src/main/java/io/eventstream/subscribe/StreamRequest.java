package io.eventstream.subscribe;

import io.eventstream.access.AccessPolicy;
import io.eventstream.access.Reader;
import io.eventstream.web.UrlParts;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a stream request says besides what it reads: where it resumes from, and who is asking. */
public final class StreamRequest {

    private static final String TOKEN_COOKIE = "eventstream-token";

    private final Map<String, List<String>> parameters;
    private final String lastEventIdHeader;
    private final String authorization;
    private final String tokenCookie;
    private final Principal principal;

    private StreamRequest(HttpServletRequest request) {
        parameters = UrlParts.query(request.getQueryString());
        lastEventIdHeader = request.getHeader("Last-Event-ID");
        authorization = request.getHeader("Authorization");
        tokenCookie = cookie(request, TOKEN_COOKIE);
        principal = request.getUserPrincipal();
    }

    /** Reads the request's query, headers, cookie and authenticated user; {@code 400} for a malformed query. */
    public static StreamRequest of(HttpServletRequest request) {
        return new StreamRequest(request);
    }

    private static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (name.equals(cookie.getName())) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    /** Every value of a query parameter, in order; empty when absent. */
    public List<String> parameters(String name) {
        return parameters.getOrDefault(name, List.of());
    }

    /** The first value of a query parameter. */
    public Optional<String> parameter(String name) {
        return parameters(name).stream().findFirst();
    }

    /** Who is asking: see {@link AccessPolicy#identify}; {@code 401} for a token that does not verify. */
    public Reader reader(AccessPolicy access) {
        return access.identify(principal, authorization, tokenCookie, parameter("token").orElse(null));
    }

    /**
     * The last event id, or null. The header wins over the query parameter: a browser reconnecting on its own
     * reuses the URL of the first connection but sends the newest id in the header.
     */
    public String lastEventId() {
        String id = lastEventIdHeader != null && !lastEventIdHeader.isEmpty()
                ? lastEventIdHeader : parameter("lastEventId").orElse(null);
        return id == null || id.isEmpty() ? null : id;
    }
}
