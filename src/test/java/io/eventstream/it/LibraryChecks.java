package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.app.HelloServlet;
import io.eventstream.it.app.OrdersStream;
import io.eventstream.it.app.PriceResource;
import io.eventstream.it.app.ShopApplication;
import io.eventstream.it.app.StaffOnlyAuthorizer;
import io.eventstream.it.support.Deployments;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The library inside an application of its own, {@code shop.war} ({@code io.eventstream.it.app}), deployed on a real
 * server as a user would: the hub's endpoints appear below {@code /shop/eventstream/}, the application's
 * {@code EventSender}, {@code Channels}, authorizer, custom stream and configuration file are used, and its own
 * JAX-RS application and servlet keep answering. One server per class, for each server the library supports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LibraryChecks {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration STARTUP = Duration.ofSeconds(240);
    /** No data directory from the command line: each application names its own, relative to the server's directory. */
    static final Map<String, String> NO_DATA_DIR = Map.of(HubProcess.DATA_DIR, "");

    /** The application's own configuration file: a default of the library's overridden (retry), and its own values. */
    static final String SHOP_CONFIG = String.join("\n",
            "eventstream.publish.token=" + Hub.TOKEN,
            "eventstream.retry=PT2S",
            "eventstream.keepalive=PT1S",
            "eventstream.broker.data-dir=shop-data", "");

    HubProcess server;
    Hub hub;

    static WebArchive shop() {
        return Deployments.application("shop", SHOP_CONFIG, ShopApplication.class, PriceResource.class,
                HelloServlet.class, StaffOnlyAuthorizer.class, OrdersStream.class);
    }

    /** Starts the server with {@code shopWar} deployed (and whatever else the subclass deploys). */
    abstract HubProcess startServer(Path shopWar) throws Exception;

    @BeforeAll
    void start() throws Exception {
        server = startServer(Deployments.export(shop(), "library-" + getClass().getSimpleName())).hubAt("/shop/eventstream/");
        server.awaitHub(STARTUP);
        hub = new Hub(server.base());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theApplicationsOwnResourcesAndServletStillAnswerBesideTheHub() throws Exception {
        HttpResponse<String> api = hub.get("../api/prices/hello");
        assertEquals(200, api.statusCode(), api.body());
        assertEquals("api ok", api.body());
        HttpResponse<String> servlet = hub.get("../hello");
        assertEquals(200, servlet.statusCode(), servlet.body());
        assertEquals("servlet ok", servlet.body());
        assertEquals("UP", hub.status().getString("status"));
        HttpResponse<String> script = hub.get("eventstream.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(script.body().contains("ReconnectingEventSource"), "the JavaScript client");
        // The demo is the standalone WAR's, not the library's.
        assertEquals(404, hub.get("index.html").statusCode());
    }

    @Test
    void theApplicationsConfigurationFileComesBeforeTheLibrarysDefaults() throws Exception {
        try (SseClient client = hub.subscribe("shop-config")) {
            assertEquals(200, client.status(), client.errorBody());
            SseEvent open = client.next(WAIT);
            assertEquals("stream-open", open.event());
            assertEquals(2000L, open.retry(), "eventstream.retry from the application's file, not the default 3000");
        }
    }

    @Test
    void eventsFromEventSenderAndHttpReachHubStreamsAndTheApplicationsBroadcasterAlike() throws Exception {
        int before = hub.status().getInt("subscriptions");
        String metricsBefore = hub.get("metrics").body();
        // A JAX-RS SSE resource may send its response headers only with its first event: opened without waiting.
        CompletableFuture<SseClient> opening = CompletableFuture.supplyAsync(() -> open(hub.uri("../api/prices")));
        try (SseClient viaHub = hub.subscribe("prices")) {
            assertEquals("stream-open", viaHub.next(WAIT).event());
            // The application's sink gets no stream-open: wait until it has joined the channel.
            hub.awaitStatus(status -> status.getInt("subscriptions") == before + 2, WAIT);
            String first = hub.post("../api/prices?sku=a&cents=100", null, null, "").body();
            String second = hub.publishData("prices", "{\"sku\":\"b\",\"cents\":200}");
            String third = hub.post("../api/prices?sku=c&cents=300", null, null, "").body();

            // The hub's metrics, below the application's path, count EventSender's publishes apart from HTTP's.
            String metricsAfter = hub.get("metrics").body();
            for (String via : List.of("java", "http")) {
                String series = "eventstream_events_published_total{via=\"" + via + "\"}";
                assertEquals(Hub.metric(metricsBefore, series) + (via.equals("java") ? 2 : 1), Hub.metric(metricsAfter, series), series);
            }
            List<SseEvent> fromHub = viaHub.take(3, WAIT);
            assertEquals(List.of(first, second, third), fromHub.stream().map(SseEvent::id).toList());
            assertEquals(List.of("price", "message", "price"), fromHub.stream().map(SseEvent::event).toList());
            assertEquals(List.of(100, 200, 300), fromHub.stream().map(e -> Hub.json(e.data()).getInt("cents")).toList());
            try (SseClient viaApplication = opening.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                assertEquals(200, viaApplication.status(), viaApplication.errorBody());
                List<SseEvent> fromApplication = viaApplication.take(3, WAIT);
                for (int i = 0; i < 3; i++) { // the same events; a JAX-RS sink sends no retry of its own
                    SseEvent hubEvent = fromHub.get(i);
                    assertEquals(new SseEvent(hubEvent.id(), hubEvent.event(), hubEvent.data(), null), fromApplication.get(i));
                }
            }
        }
        // Both clients left: the hub finds out (keep-alive every second) and the sink leaves its broadcaster.
        hub.awaitStatus(status -> status.getInt("subscriptions") == before, WAIT);
    }

    @Test
    void resumingThroughTheApplicationsResourceGetsExactlyTheMissedEventsThenLiveOnes() throws Exception {
        String seen = hub.post("../api/prices?sku=r&cents=1", null, null, "").body();
        String missed1 = hub.post("../api/prices?sku=r&cents=2", null, null, "").body();
        String missed2 = hub.post("../api/prices?sku=r&cents=3", null, null, "").body();
        try (SseClient resumed = SseClient.open(hub.uri("../api/prices/resume"), Map.of("Last-Event-ID", seen))) {
            assertEquals(200, resumed.status(), resumed.errorBody());
            assertEquals(List.of(missed1, missed2), resumed.take(2, WAIT).stream().map(SseEvent::id).toList());
            String live = hub.post("../api/prices?sku=r&cents=4", null, null, "").body();
            SseEvent next = resumed.next(WAIT);
            assertEquals(live, next.id());
            assertEquals(4, Hub.json(next.data()).getInt("cents"));
        }
    }

    @Test
    void theApplicationsAuthorizerAndCustomStreamAreFound() throws Exception {
        HttpResponse<String> refused = hub.get("events?channel=staff-payroll");
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("forbidden", Hub.json(refused.body()).getString("condition"));
        try (SseClient orders = SseClient.open(hub.uri("streams/orders"))) {
            assertEquals(200, orders.status(), orders.errorBody());
            assertEquals("stream-open", orders.next(WAIT).event());
            SseEvent order = orders.next(WAIT);
            assertEquals("order", order.event());
            assertEquals(3, Hub.json(order.data()).getInt("open"));
        }
    }

    static SseClient open(URI uri) {
        try {
            return SseClient.open(uri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
