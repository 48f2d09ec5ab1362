package io.eventstream.event;

/** An event whose data is larger than {@code eventstream.event.max-bytes}. */
public class EventTooLargeException extends InvalidEventException {

    private static final long serialVersionUID = 1L;

    public EventTooLargeException(String message) {
        super(message);
    }
}
