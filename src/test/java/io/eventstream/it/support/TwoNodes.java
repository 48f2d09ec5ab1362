package io.eventstream.it.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Artemis broker and two hub nodes on Payara Micro connected to it, each its own process; ready when built.
 * The durable variant's broker persists, and node B reaches it through a proxy a test can cut.
 */
public final class TwoNodes implements AutoCloseable {

    // A bound that matters only when a node does not start. 3 minutes was too short on this project's shared 2-core
    // machine under a load average of 20 to 40 (2026-11-30: "eventstream was successfully deployed in 163,554
    // milliseconds", "Payara Micro ... ready in 240,225 (ms)" for MultiNodeIT's node-a).
    public static final Duration STARTUP = Duration.ofMinutes(6);
    private static final Duration UP = Duration.ofSeconds(10);

    public final ArtemisProcess broker;
    /** Node B's way to the broker in the durable variant; null otherwise. */
    public final CuttableProxy brokerProxy;
    public final HubProcess nodeA;
    public final HubProcess nodeB;
    public final Hub a;
    public final Hub b;
    private final Path war;
    private final Map<String, String> config;

    private TwoNodes(ArtemisProcess broker, CuttableProxy brokerProxy, HubProcess nodeA, HubProcess nodeB, Path war,
                     Map<String, String> config) throws Exception {
        this.broker = broker;
        this.brokerProxy = brokerProxy;
        this.nodeA = nodeA;
        this.nodeB = nodeB;
        this.war = war;
        this.config = config;
        try {
            this.a = awaitUp(nodeA, STARTUP);
            this.b = awaitUp(nodeB, STARTUP);
        } catch (Exception | AssertionError e) {
            close(); // the test never gets the cluster to close: nothing it started may outlive it
            throw e;
        }
    }

    /**
     * Starts the broker, then both nodes deploying {@code war} with the broker's settings, the tests' publish token,
     * a 1 s keep-alive and {@code config}; node B gets {@code onlyB} on top.
     */
    public static TwoNodes start(String name, Path war, Map<String, String> config, Map<String, String> onlyB) throws Exception {
        ArtemisProcess broker = ArtemisProcess.createAndStart();
        Map<String, String> common = nodeConfig(broker.url(), config);
        Map<String, String> forB = new HashMap<>(common);
        forB.putAll(onlyB);
        return new TwoNodes(broker, null, payara(name + "-a", war, common), payara(name + "-b", war, forB), war, config);
    }

    /**
     * As {@link #start}, on a broker that persists (its durable queues and persistent messages survive its restarts),
     * with node B linked to it through {@link #brokerProxy}.
     */
    public static TwoNodes startDurable(String name, Path war, Map<String, String> config) throws Exception {
        ArtemisProcess broker = ArtemisProcess.createAndStart(true);
        CuttableProxy proxy = new CuttableProxy("127.0.0.1", broker.port());
        return new TwoNodes(broker, proxy, payara(name + "-a", war, nodeConfig(broker.url(), config)),
                payara(name + "-b", war, nodeConfig("tcp://127.0.0.1:" + proxy.port(), config)), war, config);
    }

    /** Starts one more node on the broker (directly), with the nodes' configuration; the caller waits for and closes it. */
    public HubProcess startNode(String name) throws IOException {
        return payara(name, war, nodeConfig(broker.url(), config));
    }

    /** Waits until the node answers and reports itself UP; returns the test's view of it. */
    public static Hub awaitUp(HubProcess node, Duration timeout) throws IOException, InterruptedException {
        Hub hub = new Hub(node.awaitHub(timeout).base());
        hub.awaitStatus(status -> "UP".equals(status.getString("status")), UP);
        return hub;
    }

    private static Map<String, String> nodeConfig(String brokerUrl, Map<String, String> config) {
        Map<String, String> common = new HashMap<>(Map.of(
                "eventstream.broker", "artemis",
                "eventstream.broker.url", brokerUrl,
                "eventstream.broker.user", ArtemisProcess.USER,
                "eventstream.broker.password", ArtemisProcess.PASSWORD,
                "eventstream.publish.token", Hub.TOKEN,
                "eventstream.keepalive", "PT1S",
                // Every client is anonymous on 127.0.0.1 and every publisher holds Hub.TOKEN: the abuse limits are
                // raised above what the suites open and publish (ClusterLogIT publishes as fast as the nodes take it).
                "eventstream.connections.max-per-ip", "20000",
                "eventstream.publish.rate", "1000000"));
        common.putAll(config);
        return common;
    }

    private static HubProcess payara(String name, Path war, Map<String, String> properties) throws IOException {
        Path java = Path.of(System.getProperty("java.home"));
        Path micro = Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar"));
        return HubProcess.payaraMicro(name, java, micro, war, properties);
    }

    @Override
    public void close() throws Exception {
        nodeA.close();
        nodeB.close();
        if (brokerProxy != null) {
            brokerProxy.close();
        }
        broker.close();
    }
}
