package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Publishing without waiting: HTTP requests held while the broker confirms, batches, and EventSender's async forms. */
class PublishIT extends HubIT {

    private static final String BEARER = "Bearer " + Hub.TOKEN;

    private HttpResponse<String> batch(String body) throws Exception {
        return hub.post("events", BEARER, "application/json", body);
    }

    private static List<String> ids(HttpResponse<String> answer) {
        assertEquals(202, answer.statusCode(), answer.body());
        return Hub.json(answer.body()).getJsonArray("ids").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String textStart) {
        assertEquals(status, answer.statusCode(), answer.body());
        JsonObject problem = Hub.json(answer.body());
        assertTrue(problem.getString("text").startsWith(textStart), answer.body());
    }

    @Test
    void aBatchIsPublishedInItsOrderWithTheIdsItWasAnswered() throws Exception {
        try (SseClient client = hub.subscribe("batch-a", "batch-b")) {
            assertEquals("stream-open", client.next(WAIT).event());
            List<String> ids = ids(batch("[{\"channel\":\"batch-a\",\"data\":1},{\"channel\":\"batch-b\",\"event\":\"tick\",\"data\":2},"
                    + "{\"channel\":\"batch-a\",\"data\":{\"n\":3}},{\"channel\":\"elsewhere\",\"data\":4},{\"channel\":\"batch-b\",\"data\":5}]"));
            assertEquals(5, new HashSet<>(ids).size());
            List<SseEvent> got = client.take(4, WAIT);
            assertEquals(List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(4)), got.stream().map(SseEvent::id).toList());
            assertEquals(List.of("1", "2", "{\"n\":3}", "5"), SseEvent.data(got));
            assertEquals("tick", got.get(1).event());
        }
    }

    @Test
    void aBadBatchIsRefusedWholeAndPublishesNothing() throws Exception {
        String good = "{\"channel\":\"batch-bad\",\"data\":\"published\"}";
        try (SseClient client = hub.subscribe("batch-bad")) {
            assertEquals("stream-open", client.next(WAIT).event());
            assertRefused(batch("[]"), 400, "the batch is empty");
            assertRefused(batch("{\"channel\":\"batch-bad\",\"data\":1}"), 400, "body must be a JSON array");
            assertRefused(batch("[" + good + ",{\"data\":1}]"), 400, "item 1: has no 'channel' field");
            assertRefused(batch("[" + good + "," + good + ",{\"channel\":\"bad name\",\"data\":1}]"), 400, "item 2: ");
            assertRefused(batch("[" + good + ",{\"channel\":\"batch-bad\",\"event\":\"stream-reset\",\"data\":1}]"), 400, "item 1: ");
            assertRefused(batch("[" + good + ",{\"channel\":\"batch-bad\",\"data\":\"" + "x".repeat(5000) + "\"}]"), 413, "item 1: ");
            assertRefused(batch("[" + String.join(",", Collections.nCopies(1001, good)) + "]"), 413,
                    "the batch has 1001 events");
            assertRefused(batch("[" + good + ",\"" + "x".repeat(4 * 1024 * 1024) + "\"]"), 413, "request body is larger");
            assertRefused(hub.post("events", BEARER, "text/plain", "[" + good + "]"), 415, "send the batch");
            assertRefused(hub.post("events", null, "application/json", "[" + good + "]"), 401, "item 0: ");
            assertRefused(batch("[" + good + ","), 400, "body is not valid JSON");

            List<String> ids = ids(batch("[" + good + "]"));
            SseEvent first = client.next(WAIT);
            assertEquals(ids.get(0), first.id(), "nothing of the refused batches was published");
            assertEquals(List.of(), client.drain(Duration.ofMillis(300)));
        }
    }

    @Test
    void manyConcurrentPublishesAreEachAnsweredOnceTheBrokerHasThemAndAllDelivered() throws Exception {
        // HTTP/1.1, as publishers use it: the JDK client's default HTTP/2 upgrade got a GOAWAY from Payara once in CI
        // with 300 requests in flight on one connection.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (SseClient client = hub.subscribe("concurrent")) {
            assertEquals("stream-open", client.next(WAIT).event());
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(hub.uri("events/concurrent")).header("Authorization", BEARER)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"data\":" + i + "}"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            Set<String> answered = new HashSet<>();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(202, response.statusCode(), response.body());
                answered.add(Hub.json(response.body()).getString("id"));
            }
            List<SseEvent> got = client.take(300, WAIT);
            assertEquals(answered, got.stream().map(SseEvent::id).collect(Collectors.toSet()));
            assertEquals(IntStream.range(0, 300).mapToObj(Integer::toString).collect(Collectors.toSet()),
                    new HashSet<>(SseEvent.data(got)));
        }
    }

    @Test
    void sendAsyncFromOneThreadKeepsThousandsInFlightInOrder() throws Exception {
        try (SseClient client = hub.subscribe("async")) {
            assertEquals("stream-open", client.next(WAIT).event());
            HttpResponse<String> answer = hub.post("it/send/async?channel=async&count=2000", null, null, "");
            assertEquals(200, answer.statusCode(), answer.body());
            List<String> ids = List.of(answer.body().split(","));
            List<SseEvent> got = client.take(2000, WAIT);
            assertEquals(ids, got.stream().map(SseEvent::id).toList());
            assertEquals(IntStream.range(0, 2000).mapToObj(i -> "{\"seq\":" + i + "}").toList(), SseEvent.data(got));
        }
    }

    @Test
    void aContinuationOfSendAsyncMaySendAgainWithoutDeadlock() throws Exception {
        try (SseClient client = hub.subscribe("chained")) {
            assertEquals("stream-open", client.next(WAIT).event());
            HttpResponse<String> answer = hub.post("it/send/chained?channel=chained", null, null, "");
            assertEquals(200, answer.statusCode(), answer.body());
            List<SseEvent> got = client.take(2, WAIT);
            assertEquals(List.of(answer.body().split(",")), got.stream().map(SseEvent::id).toList());
            assertEquals(List.of("\"first\"", "\"second\""), SseEvent.data(got));
        }
    }

    @Test
    void sendAllPublishesInOrderAndOneBadEventPublishesNothing() throws Exception {
        try (SseClient client = hub.subscribe("all-a", "all-b")) {
            assertEquals("stream-open", client.next(WAIT).event());
            HttpResponse<String> refused = hub.post("it/send/all?channels=all-a,bad%20name", null, null, "");
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(Hub.json(refused.body()).getString("text").startsWith("item 1: "), refused.body());

            HttpResponse<String> answer = hub.post("it/send/all?channels=all-b,all-a,all-b", null, null, "");
            assertEquals(200, answer.statusCode(), answer.body());
            List<SseEvent> got = client.take(3, WAIT);
            assertEquals(List.of(answer.body().split(",")), got.stream().map(SseEvent::id).toList());
            assertEquals(List.of("{\"seq\":0}", "{\"seq\":1}", "{\"seq\":2}"), SseEvent.data(got));
        }
    }
}
