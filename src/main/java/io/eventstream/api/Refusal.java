package io.eventstream.api;

/**
 * Why the hub refused something: the {@code condition} names of the HTTP contract, each with the status it is
 * answered with. The catalogue is closed: every refusal, over HTTP or from {@link EventSender}, is one of these.
 */
public enum Refusal {

    /** Malformed input: a bad channel name, event type, last event id, query or body. */
    BAD_REQUEST(400, "bad-request"),
    /** No credentials, or credentials that do not verify. */
    UNAUTHORIZED(401, "unauthorized"),
    /** Credentials that verify but do not allow this. */
    FORBIDDEN(403, "forbidden"),
    /** Nothing is served there, e.g. no custom stream of that name. */
    NOT_FOUND(404, "not-found"),
    /** The path exists but not for this HTTP method. */
    METHOD_NOT_ALLOWED(405, "method-not-allowed"),
    /** The client accepts no type the hub can answer with. */
    NOT_ACCEPTABLE(406, "not-acceptable"),
    /** An event or request body over its limit. */
    TOO_LARGE(413, "too-large"),
    /** A body that is not {@code application/json}. */
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type"),
    /** Over a limit that frees up with time (connections per node or per user). */
    TOO_MANY_REQUESTS(429, "too-many-requests"),
    /** The broker cannot be reached: nothing was published; retry later. */
    UNAVAILABLE(503, "unavailable"),
    /** A fault of the hub itself; its log has the details. */
    INTERNAL_ERROR(500, "internal-error");

    private final int status;
    private final String code;

    Refusal(int status, String code) {
        this.status = status;
        this.code = code;
    }

    /** The HTTP status this condition is answered with. */
    public int status() {
        return status;
    }

    /** The name in a problem body, e.g. {@code too-many-requests}. */
    public String code() {
        return code;
    }

    /** The condition of an HTTP status; {@link #BAD_REQUEST} for another 4xx, {@link #INTERNAL_ERROR} for another 5xx. */
    public static Refusal of(int status) {
        for (Refusal condition : values()) {
            if (condition.status == status) {
                return condition;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }
}
