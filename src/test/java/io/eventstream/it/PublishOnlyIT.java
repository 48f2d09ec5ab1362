package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.eventstream.it.app.PublishOnlyResource;
import io.eventstream.it.app.ShopApplication;
import io.eventstream.it.support.ArtemisProcess;
import io.eventstream.it.support.Deployments;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An application that only publishes ({@code eventstream.endpoints=false}, {@code report.war}) to a hub that runs
 * elsewhere on the same remote Artemis broker: the hub's WAR, in the same WildFly here, but it shares nothing with the
 * application except the broker. Its {@code EventSender} works, and it serves no endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishOnlyIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ArtemisProcess broker;
    private HubProcess server;
    private Hub hub;

    @BeforeAll
    void start() throws Exception {
        broker = ArtemisProcess.createAndStart(false);
        WebArchive report = Deployments.application("report", "eventstream.endpoints=false\n",
                ShopApplication.class, PublishOnlyResource.class);
        Path reportWar = Deployments.export(report, "publish-only");
        // Both deployments get the broker from the command line: no embedded broker anywhere in this server.
        server = HubProcess.wildFly("publish-only", Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("wildfly.home", "target/wildfly")), List.of(HubProcess.WAR, reportWar),
                Map.of("eventstream.broker", "artemis",
                        "eventstream.broker.url", broker.url(),
                        "eventstream.broker.user", ArtemisProcess.USER,
                        "eventstream.broker.password", ArtemisProcess.PASSWORD,
                        "eventstream.keepalive", "PT1S",
                        HubProcess.DATA_DIR, ""));
        server.awaitHub(Duration.ofSeconds(240));
        hub = new Hub(server.base());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aPublishOnlyApplicationsEventSenderReachesTheHubsSubscribers() throws Exception {
        try (SseClient subscriber = hub.subscribe("reports")) {
            assertEquals("stream-open", subscriber.next(WAIT).event());
            String first = publish(1);
            String second = publish(2);
            List<SseEvent> received = subscriber.take(2, WAIT);
            assertEquals(List.of(first, second), received.stream().map(SseEvent::id).toList());
            assertEquals("report", received.get(0).event());
            assertEquals(2, Hub.json(received.get(1).data()).getInt("n"));
        }
    }

    @Test
    void aPublishOnlyApplicationServesNoEndpoint() throws Exception {
        for (String path : List.of("../report/eventstream/status", "../report/eventstream/events?channel=reports",
                "../report/eventstream/eventstream.js")) {
            HttpResponse<String> answer = hub.get(path);
            assertEquals(404, answer.statusCode(), path + ": " + answer.body());
        }
        HttpResponse<String> publish = hub.post("../report/eventstream/events/reports", "Bearer x", "application/json", "{\"data\":1}");
        assertNotEquals(202, publish.statusCode(), "nothing publishes through it over HTTP: " + publish.body());
        assertFalse(server.log().contains("embedded Artemis broker started"), "no embedded broker");
    }

    private String publish(int n) throws Exception {
        HttpResponse<String> sent = hub.post("../report/api/report?channel=reports&n=" + n, null, null, "");
        assertEquals(200, sent.statusCode(), sent.body());
        return sent.body();
    }
}
