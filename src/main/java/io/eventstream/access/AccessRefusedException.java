package io.eventstream.access;

/** A request refused for who made it: {@code 401} (no or bad credentials), {@code 403} (not allowed) or {@code 429} (over a limit). */
public class AccessRefusedException extends RuntimeException {

    private final int status;

    public AccessRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }
}
