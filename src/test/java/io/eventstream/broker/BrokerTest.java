package io.eventstream.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.event.Event;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerTest {

    private static final Event EVENT = new Event("1", "news", "message", "{}");

    @Test
    void publishingBeforeTheBrokerStartedFailsLoudly() {
        BrokerUnavailableException refused = assertThrows(BrokerUnavailableException.class, () -> new Broker().publish(EVENT));
        assertTrue(refused.getMessage().contains("has not started"), refused.getMessage());
    }

    @Test
    void aBrokerThatFailedToStartSaysWhyOnEveryPublish() {
        Broker broker = new Broker();
        broker.mode = "kafka";
        broker.url = Optional.empty();
        broker.start(null);
        assertTrue(broker.failure().orElseThrow().contains("must be 'embedded' or 'artemis'"));
        BrokerUnavailableException refused = assertThrows(BrokerUnavailableException.class, () -> broker.publish(EVENT));
        assertTrue(refused.getMessage().contains("'news'") && refused.getMessage().contains("kafka"), refused.getMessage());
    }

    @Test
    void aRemoteBrokerNeedsItsUrl() {
        Broker broker = new Broker();
        broker.mode = "artemis";
        broker.url = Optional.empty();
        broker.start(null);
        assertTrue(broker.failure().orElseThrow().contains("eventstream.broker.url"));
        assertEquals("artemis", broker.mode());
    }
}
