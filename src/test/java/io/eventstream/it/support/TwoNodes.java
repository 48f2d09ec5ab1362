package io.eventstream.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real Artemis broker and two hub nodes on Payara Micro connected to it, each its own process; ready when built. */
public final class TwoNodes implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration UP = Duration.ofSeconds(10);

    public final ArtemisProcess broker;
    public final HubProcess nodeA;
    public final HubProcess nodeB;
    public final Hub a;
    public final Hub b;

    private TwoNodes(ArtemisProcess broker, HubProcess nodeA, HubProcess nodeB) throws Exception {
        this.broker = broker;
        this.nodeA = nodeA;
        this.nodeB = nodeB;
        this.a = new Hub(nodeA.awaitHub(STARTUP).base());
        this.b = new Hub(nodeB.awaitHub(STARTUP).base());
        a.awaitStatus(status -> "UP".equals(status.getString("status")), UP);
        b.awaitStatus(status -> "UP".equals(status.getString("status")), UP);
    }

    /**
     * Starts the broker, then both nodes deploying {@code war} with the broker's settings, the tests' publish token,
     * a 1 s keep-alive and {@code config}; node B gets {@code onlyB} on top.
     */
    public static TwoNodes start(String name, Path war, Map<String, String> config, Map<String, String> onlyB) throws Exception {
        ArtemisProcess broker = ArtemisProcess.createAndStart();
        Map<String, String> common = new HashMap<>(Map.of(
                "eventstream.broker", "artemis",
                "eventstream.broker.url", broker.url(),
                "eventstream.broker.user", ArtemisProcess.USER,
                "eventstream.broker.password", ArtemisProcess.PASSWORD,
                "eventstream.publish.token", Hub.TOKEN,
                "eventstream.keepalive", "PT1S"));
        common.putAll(config);
        Map<String, String> forB = new HashMap<>(common);
        forB.putAll(onlyB);
        Path java = Path.of(System.getProperty("java.home"));
        Path micro = Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar"));
        return new TwoNodes(broker, HubProcess.payaraMicro(name + "-a", java, micro, war, common),
                HubProcess.payaraMicro(name + "-b", java, micro, war, forB));
    }

    @Override
    public void close() throws Exception {
        nodeA.close();
        nodeB.close();
        broker.close();
    }
}
