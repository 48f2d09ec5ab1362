package io.eventstream.core.metrics;

/**
 * The port durations are recorded through, once per publish and once per event received: never per subscriber.
 */
public interface Timings {

    /** Records nothing: for hubs built outside CDI (tests, tools). */
    Timings NONE = new Timings() {
        @Override
        public void publishConfirmed(long nanos) {
        }

        @Override
        public void deliveryLag(long millis) {
        }
    };

    /** A publish (one event, or one batch) took {@code nanos} from being accepted to the broker's confirmation. */
    void publishConfirmed(long nanos);

    /** An event reached this node's streams {@code millis} after the broker's timestamp (its publication). */
    void deliveryLag(long millis);
}
