package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventstream.it.support.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisconnectIT extends HubIT {

    @Test
    void clientsThatLeaveAreRemovedAndTheirChannelsReleased() throws Exception {
        // Several rounds: what clients leave behind must not accumulate.
        for (int round = 0; round < 3; round++) {
            List<SseClient> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SseClient client = hub.subscribe("leave-" + (i % 3), "leave-shared");
                assertEquals("stream-open", client.next(WAIT).event());
                clients.add(client);
            }
            hub.awaitStatus(s -> s.getInt("connections") == 20 && s.getInt("channels") == 4
                    && s.getInt("subscriptions") == 40, WAIT);
            clients.forEach(SseClient::close);
            // Keep-alive is PT1S here: Payara never reports the disconnect, the next writes find it.
            hub.awaitStatus(s -> s.getInt("connections") == 0 && s.getInt("channels") == 0
                    && s.getInt("subscriptions") == 0, WAIT);
        }
    }

    @Test
    void aClientLeavingDoesNotDisturbTheOthersOnItsChannel() throws Exception {
        try (SseClient staying = hub.subscribe("shared-leave")) {
            assertEquals("stream-open", staying.next(WAIT).event());
            SseClient leaving = hub.subscribe("shared-leave");
            assertEquals("stream-open", leaving.next(WAIT).event());
            leaving.close();
            hub.awaitStatus(s -> s.getInt("connections") == 1, WAIT);
            assertEquals(202, hub.publish("shared-leave", "{\"data\":\"still here\"}").statusCode());
            assertEquals("\"still here\"", staying.next(WAIT).data());
            hub.awaitStatus(s -> s.getInt("subscriptions") == 1 && s.getInt("channels") == 1, WAIT);
        }
    }
}
