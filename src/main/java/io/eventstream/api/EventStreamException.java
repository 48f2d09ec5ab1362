package io.eventstream.api;

/**
 * Something the hub refused, with its {@link Condition} and a message that says what to fix: the one exception
 * type of eventstream. {@link EventSender} throws it ({@code bad-request}, {@code too-large}, {@code unavailable}),
 * and over HTTP it becomes the problem body {@code {"condition":..,"text":..}} with the condition's status.
 */
public class EventStreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Condition condition;

    public EventStreamException(Condition condition, String message) {
        super(message);
        this.condition = condition;
    }

    public EventStreamException(Condition condition, String message, Throwable cause) {
        super(message, cause);
        this.condition = condition;
    }

    /** Why it was refused; {@code condition().status()} is the HTTP status it is answered with. */
    public Condition condition() {
        return condition;
    }
}
