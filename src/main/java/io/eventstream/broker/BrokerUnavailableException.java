package io.eventstream.broker;

/** Publishing failed because the broker is not up; the event was not sent and the caller should retry or report it. */
public class BrokerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message) {
        super(message);
    }

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
