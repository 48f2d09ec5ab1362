package io.eventstream.event;

/** Input that the contract refuses: a bad channel name, event type, id or JSON body. */
public class InvalidEventException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidEventException(String message) {
        super(message);
    }
}
