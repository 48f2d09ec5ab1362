package io.eventstream.adapter.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerTest {

    private static final ChannelEvent EVENT = new ChannelEvent("1", "news", "message", "{}");

    private static Broker broker(Map<String, String> settings) {
        Broker broker = new Broker();
        broker.settings = Settings.of(settings);
        return broker;
    }

    @Test
    void publishingBeforeTheBrokerStartedFailsLoudly() {
        EventStreamException refused = assertThrows(EventStreamException.class, () -> broker(Map.of()).send(EVENT));
        assertEquals(Refusal.UNAVAILABLE, refused.refusal());
        assertTrue(refused.getMessage().contains("has not started"), refused.getMessage());
    }

    @Test
    void aBrokerThatFailedToStartSaysWhyOnEveryPublish() {
        Broker broker = broker(Map.of("broker", "kafka"));
        broker.start(null);
        assertTrue(broker.failure().orElseThrow().contains("must be 'embedded' or 'artemis'"));
        EventStreamException refused = assertThrows(EventStreamException.class, () -> broker.send(EVENT));
        assertTrue(refused.getMessage().contains("'news'") && refused.getMessage().contains("kafka"), refused.getMessage());
    }

    @Test
    void aRemoteBrokerNeedsItsUrl() {
        Broker broker = broker(Map.of("broker", "artemis"));
        broker.start(null);
        assertTrue(broker.failure().orElseThrow().contains("eventstream.broker.url"));
        assertEquals("artemis", broker.broker());
    }
}
