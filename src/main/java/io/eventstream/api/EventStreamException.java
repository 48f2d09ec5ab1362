package io.eventstream.api;

/**
 * Something the hub refused, with its {@link Refusal} and a message that says what to fix: the one exception
 * type of eventstream. {@link EventSender} throws it ({@code bad-request}, {@code too-large}, {@code unavailable}),
 * and over HTTP it becomes the problem body {@code {"condition":..,"text":..}} with the condition's status.
 */
public class EventStreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Refusal refusal;

    public EventStreamException(Refusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public EventStreamException(Refusal refusal, String message, Throwable cause) {
        super(message, cause);
        this.refusal = refusal;
    }

    /** Why it was refused; {@code refusal().status()}; {@code refusal().code()} is the contract's {@code condition} is the HTTP status it is answered with. */
    public Refusal refusal() {
        return refusal;
    }
}
