package io.eventstream.adapter.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub's endpoints below {@code eventstream.path} and the methods each answers: the one list the fallback's
 * {@code 405}, the check for servlet mappings that collide with them and the start-up log line read.
 */
final class Endpoints {

    /** The admin page and its JSON endpoints. */
    static final String ADMIN = "/admin";
    private static final Map<String, String> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("/events", "GET, POST, OPTIONS");
        ALLOWED.put("/streams", "GET, OPTIONS");
        ALLOWED.put("/channels", "GET, OPTIONS");
        ALLOWED.put("/status", "GET, OPTIONS");
        ALLOWED.put("/metrics", "GET, OPTIONS");
        ALLOWED.put("/eventstream.js", "GET, OPTIONS");
        ALLOWED.put(ADMIN, "GET, POST");
    }

    private Endpoints() {
    }

    /** The endpoints' paths below {@code eventstream.path}, e.g. {@code /events}, in a fixed order; the admin page's too. */
    static Set<String> paths() {
        return ALLOWED.keySet();
    }

    /** The paths served, in a fixed order: all of them, or all but the admin page's when it is off. */
    static List<String> served(boolean admin) {
        return ALLOWED.keySet().stream().filter(path -> admin || !path.equals(ADMIN)).toList();
    }

    /**
     * The methods answered at {@code path} (an endpoint or below one), or null for a path that is no endpoint's (the
     * admin page's when it is off).
     */
    static String allowedAt(String path, boolean admin) {
        for (Map.Entry<String, String> endpoint : ALLOWED.entrySet()) {
            if (atOrBelow(path, endpoint.getKey()) && (admin || !endpoint.getKey().equals(ADMIN))) {
                return endpoint.getValue();
            }
        }
        return null;
    }

    /** Whether {@code path} is {@code prefix} itself or a path below it ({@code /events/news}, not {@code /eventsx}). */
    static boolean atOrBelow(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
