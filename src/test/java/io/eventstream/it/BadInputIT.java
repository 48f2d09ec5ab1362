package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadInputIT extends HubIT {

    private static void assertProblem(HttpResponse<String> response, int status, String condition) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject body = Hub.json(response.body());
        assertEquals(condition, body.getString("condition"));
        assertTrue(!body.getString("text").isBlank());
        assertTrue(!response.body().contains("Exception"), "no stack trace or exception name: " + response.body());
    }

    @Test
    void httpPublishNeedsTheBearerToken() throws Exception {
        String body = "{\"data\":1}";
        assertProblem(hub.post("events/auth", null, "application/json", body), 401, "unauthorized");
        assertProblem(hub.post("events/auth", "Bearer wrong", "application/json", body), 401, "unauthorized");
        assertProblem(hub.post("events/auth", "Basic aXQtdG9rZW4=", "application/json", body), 401, "unauthorized");
        HttpResponse<String> accepted = hub.post("events/auth", "Bearer " + Hub.TOKEN, "application/json", body);
        assertEquals(202, accepted.statusCode());
        assertTrue(!Hub.json(accepted.body()).getString("id").isBlank());
    }

    @Test
    void refusesBadPublishesWithTheContractsCodes() throws Exception {
        assertProblem(hub.publish("bad", "{\"data\":"), 400, "bad-request");
        assertProblem(hub.publish("bad", "{\"event\":\"x\"}"), 400, "bad-request");
        assertProblem(hub.publish("bad", "[1,2]"), 400, "bad-request");
        assertProblem(hub.publish("bad", "{\"event\":\"stream-reset\",\"data\":{}}"), 400, "bad-request");
        assertProblem(hub.publish("bad", "{\"event\":\"two words\",\"data\":{}}"), 400, "bad-request");
        assertProblem(hub.publish("bad", "{\"id\":\"forged\",\"data\":{}}"), 400, "bad-request");
        assertProblem(hub.publish("bad%20name", "{\"data\":1}"), 400, "bad-request");
        assertProblem(hub.publish("trailing/", "{\"data\":1}"), 400, "bad-request");
        assertProblem(hub.publish("big", "{\"data\":\"" + "x".repeat(5000) + "\"}"), 413, "too-large");
        assertProblem(hub.publish("huge", "{\"data\":\"" + "x".repeat(100_000) + "\"}"), 413, "too-large");
        assertProblem(hub.post("events/bad", "Bearer " + Hub.TOKEN, "text/plain", "{\"data\":1}"), 415, "unsupported-media-type");
        // An unparsable header is refused by the container before the application: still JSON.
        assertProblem(hub.post("events/bad", "Bearer " + Hub.TOKEN, "not a media type", "{\"data\":1}"), 400, "bad-request");
        assertProblem(hub.post("it/send/burst?channel=bad%20name&count=1", null, null, ""), 400, "bad-request");
    }

    @Test
    void refusesBadSubscriptionsBeforeStreaming() throws Exception {
        for (String query : List.of("events", "events?channel=", "events?channel=bad%20name",
                "events?channel=a&channel=b&channel=c&channel=d&channel=e&channel=f", "events/trailing/",
                "events?channel=" + "x".repeat(129))) {
            try (SseClient refused = SseClient.open(hub.uri(query))) {
                assertEquals(400, refused.status(), query);
                JsonObject body = Hub.json(refused.errorBody());
                assertEquals("bad-request", body.getString("condition"), query);
            }
        }
        try (SseClient five = hub.subscribe("a", "b", "c", "d", "e")) {
            assertEquals(200, five.status());
        }
    }

    @Test
    void badInputLosesNothingAndTheHubKeepsServing() throws Exception {
        try (SseClient client = hub.subscribe("after-bad")) {
            assertEquals("stream-open", client.next(WAIT).event());
            hub.publish("after-bad", "{\"data\":");
            hub.publish("after-bad", "{\"data\":\"" + "x".repeat(5000) + "\"}");
            hub.post("events/after-bad", "Bearer wrong", "application/json", "{\"data\":\"unauthorized\"}");
            assertEquals(202, hub.publish("after-bad", "{\"data\":\"good\"}").statusCode());
            assertEquals(List.of("\"good\""), client.take(1, WAIT).stream().map(SseEvent::data).toList());
            assertEquals(List.of(), client.drain(Duration.ofMillis(500)));
        }
    }
}
