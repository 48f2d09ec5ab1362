package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlowClientIT extends HubIT {

    @Test
    void aClientThatStopsReadingNeverHoldsBackThePublisherOrTheOthers() throws Exception {
        int events = 3000;
        try (SseClient healthy = hub.subscribe("slow-test");
             Socket stalled = new Socket()) {
            assertEquals("stream-open", healthy.next(WAIT).event());
            // A subscriber that never reads: a small receive buffer, and nothing takes bytes off it.
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(hub.uri("").getHost(), hub.uri("").getPort()));
            stalled.getOutputStream().write(("GET " + hub.uri("events?channel=slow-test").getRawPath()
                    + "?channel=slow-test HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            hub.awaitStatus(status -> status.getInt("subscriptions") == 2, WAIT);

            // 3000 events of 3 KiB: far more than the stalled client's socket holds.
            var sent = hub.post("it/send/burst?channel=slow-test&count=" + events + "&pad=3000", null, null, "");
            assertEquals(200, sent.statusCode(), sent.body());

            List<SseEvent> received = healthy.take(events, Duration.ofSeconds(60));
            for (int i = 0; i < events; i++) {
                assertEquals(i, Hub.json(received.get(i).data()).getInt("seq"));
            }
            // Not asserted: that the stalled client is cut off. On Payara the container's own output buffer takes
            // its backlog before eventstream's bounded buffer fills (see the README, "Slow clients").
        }
    }
}
