package io.eventstream.adapter.http;

import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.access.Caller;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a stream request says besides its path: its query, where it resumes from, and who is asking. */
final class StreamRequest {

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

    /** Reads the request's query, headers, cookie and authenticated user; {@code bad-request} for a malformed query. */
    static StreamRequest of(HttpServletRequest request) {
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

    /** The query's parameters, name to values in order. */
    Map<String, List<String>> parameters() {
        return parameters;
    }

    /** Every value of a query parameter, in order; empty when absent. */
    List<String> parameters(String name) {
        return parameters.getOrDefault(name, List.of());
    }

    /** The first value of a query parameter, or null. */
    private String parameter(String name) {
        List<String> values = parameters(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Who is asking: see {@link AccessPolicy#identify}; {@code unauthorized} for a token that does not verify. */
    Caller identify(AccessPolicy access) {
        return access.identify(principal, authorization, tokenCookie,
                parameter("token"));
    }

    /**
     * The last event id, or null. The header wins over the query parameter: a browser reconnecting on its own
     * reuses the URL of the first connection but sends the newest id in the header.
     */
    String lastEventId() {
        String id = lastEventIdHeader != null && !lastEventIdHeader.isEmpty()
                ? lastEventIdHeader : parameter("lastEventId");
        return id == null || id.isEmpty() ? null : id;
    }
}
