package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.ServerProcessFiles;
import io.eventstream.it.support.ServerProcessFiles.Usage;
import io.eventstream.it.support.SlowLoris;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.TwoNodes;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 17, slow loris: a thousand connections that send their request head a byte every 2 to 5 seconds must not keep
 * the node from serving a normal client (subscribe, publish, every event in order) while they last, and once they are
 * gone the node holds no more files, threads or streams than before. Each server's subclass says what its container
 * does to the slow connections themselves. The normal client's latency with and without the attack is printed, never
 * asserted: the machine is shared. A head that stops arriving half-way is closed by either container after its idle or
 * parse timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SlowLorisChecks {

    static final int ATTACKERS = 1000;
    static final Duration MIN_BYTE_INTERVAL = Duration.ofSeconds(2);
    static final Duration MAX_BYTE_INTERVAL = Duration.ofSeconds(5);
    static final int EVENTS = 20;
    static final int STALLED = 50;
    static final Duration WAIT = Duration.ofSeconds(30);
    // Pools may keep a few threads and files they grew; a thousand leaked connections would be far over these. The
    // request pool is bounded by its maximum instead: a burst of closes grows it, and it keeps idle threads for minutes.
    static final int FILE_TOLERANCE = 40;
    static final int THREAD_TOLERANCE = 40;
    static final Duration BACK_TO_BASELINE = Duration.ofSeconds(60);

    private HubProcess node;

    /** Starts the node with its deploy recipe's settings. */
    abstract HubProcess startServer() throws Exception;

    /** The name prefix of the container's request threads ({@link ServerProcessFiles}). */
    abstract String workerPool();

    /** How many request threads the container's pool may keep: its maximum. */
    abstract int maxWorkers();

    /** How long the container lets a request head that stopped arriving stay open, as the test configures it. */
    abstract Duration stalledHeadTimeout();

    /** What the container does to the dribbling connections; asserts what it promises. */
    abstract void checkSlowConnections(SlowLoris attack) throws Exception;

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aThousandSlowRequestHeadsNeitherStopTheNodeServingOthersNorLeaveAnythingBehind() throws Exception {
        node = startServer();
        Hub hub = TwoNodes.awaitUp(node, TwoNodes.STARTUP);
        ServerProcessFiles server = ServerProcessFiles.listeningOn(node.base().getPort()).withWorkerPool(workerPool());

        normalClient(hub, "loris-warm-up"); // the pools the normal client needs exist before the baseline is taken
        hub.awaitStatus(status -> status.getInt("connections") == 0, WAIT);
        Usage baseline = server.usage();
        LongSummaryStatistics quiet = normalClient(hub, "loris-quiet");

        LongSummaryStatistics attacked;
        Usage underAttack;
        try (SlowLoris attack = SlowLoris.attack(new InetSocketAddress("127.0.0.1", node.base().getPort()),
                node.base().getPath() + "events?channel=loris", ATTACKERS, MIN_BYTE_INTERVAL, MAX_BYTE_INTERVAL)) {
            assertTrue(attack.awaitEverySent(2, MAX_BYTE_INTERVAL.multipliedBy(3)), "the attack did not get going: " + attack.progress());
            attacked = normalClient(hub, "loris-attacked");
            underAttack = server.usage();
            System.out.println(getClass().getSimpleName() + ": during the attack the server held " + underAttack
                    + " (baseline " + baseline + "); " + attack.open() + " slow connections open, "
                    + attack.closedByServer() + " closed by the server, bytes sent " + attack.progress());
            try (SlowLoris stalled = SlowLoris.stalled(new InetSocketAddress("127.0.0.1", node.base().getPort()),
                    node.base().getPath() + "events?channel=loris", STALLED)) {
                assertTrue(stalled.awaitAllClosedByServer(stalledHeadTimeout().plus(WAIT)), stalled.open() + " of "
                        + STALLED + " heads that stopped half-way are still open " + stalledHeadTimeout().plus(WAIT)
                        + " later; the container's bound is " + stalledHeadTimeout());
            }
            System.out.println(getClass().getSimpleName() + ": once the server closed every stalled head, "
                    + attack.closedByServer() + " of " + ATTACKERS + " dribbling ones were closed by the server too,"
                    + " bytes sent by the others " + attack.progress());
            checkSlowConnections(attack);
        }

        Usage after = server.awaitBackTo(baseline, FILE_TOLERANCE, THREAD_TOLERANCE, maxWorkers(), BACK_TO_BASELINE);
        hub.awaitStatus(status -> status.getInt("connections") == 0, WAIT);
        normalClient(hub, "loris-after");
        System.out.println(getClass().getSimpleName() + ": server usage baseline " + baseline + ", under attack "
                + underAttack + ", after " + after + "; normal client's publish-to-delivery latency in ms without the"
                + " attack " + quiet + ", during it " + attacked);
    }

    /**
     * Subscribes, publishes {@value #EVENTS} events one after the other and reads each: every request answered as it
     * should be, every event delivered in order. Returns how long each took from publish to delivery, in ms.
     */
    static LongSummaryStatistics normalClient(Hub hub, String channel) throws Exception {
        List<Long> millis = new ArrayList<>();
        try (SseClient client = hub.subscribe(channel)) {
            assertEquals(200, client.status(), channel + ": the subscription");
            assertEquals("stream-open", client.next(WAIT).event(), channel);
            for (int i = 0; i < EVENTS; i++) {
                long started = System.nanoTime();
                HttpResponse<String> published = hub.publish(channel, "{\"data\":" + i + "}");
                assertEquals(202, published.statusCode(), channel + ": publish " + i + ": " + published.body());
                assertEquals(String.valueOf(i), client.next(WAIT).data(), channel + ": events in order");
                millis.add((System.nanoTime() - started) / 1_000_000);
            }
        }
        assertTrue(hub.get("status").statusCode() == 200, channel + ": the status");
        return millis.stream().mapToLong(Long::longValue).summaryStatistics();
    }
}
