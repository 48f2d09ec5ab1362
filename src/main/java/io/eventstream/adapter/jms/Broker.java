package io.eventstream.adapter.jms;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.config.ContainerThreads;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.Inbound;
import io.eventstream.core.hub.TopicMarkers;
import io.eventstream.core.presence.ClusterPresence;
import io.eventstream.core.publish.Outbound;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The node's broker, chosen by {@code eventstream.broker}: starts the embedded one or connects to a remote one at
 * deployment, and is the {@link Outbound} the core publishes through. Its {@link LinkKeeper} keeps the link to the
 * topic, whose one listener hands every message to the hub ({@link Inbound}) in the broker's order.
 *
 * <p>When the connection to a remote broker fails, the node stays up: its clients keep their streams, publishing
 * fails with {@code unavailable}, and it reconnects on its own with capped backoff, then tells the hub that events
 * may have been missed.
 */
@ApplicationScoped
public class Broker implements Outbound, TopicMarkers {

    private static final Logger LOG = Logger.getLogger(Broker.class.getName());
    // How long the deployment waits for the first link (a broker that is down answers at once; one that does not
    // answer is waited for this long, then the node starts unlinked and keeps trying).
    private static final long FIRST_LINK_SECONDS = 60;
    private static final int CONFIRMATION_WINDOW_BYTES = 1 << 20;
    // How long the broker waits for a silent remote node before it drops its connection (see start).
    private static final long SILENT_NODE_MILLIS = 10_000;

    @Inject
    Settings settings;

    @Inject
    Inbound inbound;

    @Inject
    ClusterPresence presence;

    @Inject
    EarlyBroker early; // the embedded broker's early start; null in unit tests that start the broker themselves

    ThreadFactory threadFactory; // null: the container's (ContainerThreads); unit tests set their own

    private volatile EmbeddedBroker embedded; // read by failure(), from any thread
    private ActiveMQConnectionFactory factory;
    private ActiveMQConnectionFactory sequencerFactory; // null: no inbox (the embedded broker)
    private ScheduledExecutorService reconnector;
    private volatile LinkKeeper keeper;
    private volatile String failure = "the broker has not started yet";

    void start(@Observes Startup startup) {
        String mode = settings.broker();
        if (mode.equals("container")) {
            startInContainer();
            return;
        }
        EventLog log = eventLogOrNull();
        try {
            String url = brokerUrl(mode, log);
            factory = new ActiveMQConnectionFactory(url);
            // Sends are confirmed asynchronously (a CompletionListener per send), which needs a confirmation window.
            factory.setConfirmationWindowSize(CONFIRMATION_WINDOW_BYTES);
            // The keeper reconnects by itself, with a fresh session and a history gap; the client's own reconnect
            // would block publishers while it waits.
            factory.setReconnectAttempts(0);
            // Nodes that share a remote broker put their events onto the topic through its inbox, in one order.
            if (!mode.equals("embedded")) {
                sequencerFactory = sequencerFactory(url);
            }
        } catch (Exception e) {
            failure = "the " + mode + " broker cannot be used: " + LinkKeeper.describe(e);
            LOG.severe(() -> "eventstream: unhealthy: " + failure);
            LOG.log(Level.SEVERE, "eventstream: check eventstream.broker, eventstream.broker.url and eventstream.broker.data-dir", e);
            return;
        }
        String user = settings.brokerUser().orElse(null);
        String password = settings.brokerPassword().orElse(null);
        TopicListener listener = new TopicListener(inbound, presence);
        InboxSequencer.Setup sequencer = sequencerFactory == null ? null
                : new InboxSequencer.Setup(sequencerFactory, user, password, threads());
        if (log != null) {
            inbound.fallingBehind(); // until the first link has read the log and delivered what came meanwhile
        }
        LinkKeeper started = keep(mode,
                onFailure -> JmsLink.open(factory, user, password, settings.topic(), log, listener, sequencer,
                        settings.brokerEventsPerMessage(), threads(), onFailure));
        // A node whose broker is up is ready when its deployment is.
        try {
            started.firstAttempt().get(FIRST_LINK_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warning(() -> "eventstream: the broker did not answer within " + FIRST_LINK_SECONDS + " s; still trying");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // The server's own JMS: publishing through its connection factory, consuming through TopicMessageBean. A server
    // without the factory or the topic fails the deployment here, with the key to change: never a half-working hub.
    private void startInContainer() {
        ContainerLink link;
        try {
            link = ContainerLink.lookUp(settings.brokerConnectionFactory(), settings.brokerTopicLookup());
        } catch (IllegalStateException e) {
            LOG.severe(() -> "eventstream: cannot deploy: " + e.getMessage());
            throw e;
        }
        keep("container", onFailure -> link);
        LOG.info(() -> "eventstream: publishing through the server's " + settings.brokerConnectionFactory() + " onto "
                + settings.brokerTopicLookup() + "; its message-driven bean delivers the topic (history in memory)");
    }

    // Starts the keeper of the link that opener opens, with the thread it reconnects on, and makes its first attempt.
    private LinkKeeper keep(String mode, BrokerLink.Opener opener) {
        reconnector = Executors.newSingleThreadScheduledExecutor(threads());
        LinkKeeper started = new LinkKeeper(mode, opener, inbound,
                (task, delay) -> reconnector.schedule(task, delay, TimeUnit.MILLISECONDS));
        keeper = started;
        started.start();
        return started;
    }

    // The sequencer's connections: no confirmation window (see InboxSequencer.Setup), no reconnect of the client's own,
    // and a node gone silent (a network cut, not a closed socket) dropped by the broker after SILENT_NODE_MILLIS rather
    // than Artemis's default 60 s, since until then it holds every node's events (the client pings at half that).
    private static ActiveMQConnectionFactory sequencerFactory(String url) throws Exception {
        ActiveMQConnectionFactory sequencer = new ActiveMQConnectionFactory(url);
        sequencer.setReconnectAttempts(0);
        sequencer.setConnectionTTL(SILENT_NODE_MILLIS);
        sequencer.setClientFailureCheckPeriod(SILENT_NODE_MILLIS / 2);
        return sequencer;
    }

    private ThreadFactory threads() {
        return threadFactory != null ? threadFactory : ContainerThreads.factory();
    }

    // The broker's event log, or null when history is in memory only.
    private EventLog eventLogOrNull() {
        return settings.historyDurable() ? EventLog.of(settings) : null;
    }

    private String brokerUrl(String mode, EventLog log) throws Exception {
        return switch (mode) {
            case "embedded" -> {
                if (log == null) {
                    embedded = new EmbeddedBroker();
                    yield embedded.start();
                }
                EarlyBroker.Plan plan = EarlyBroker.Plan.of(settings).orElseThrow();
                Optional<EarlyBroker.Started> started = early != null ? early.take(plan) : Optional.empty();
                if (started.isPresent()) {
                    embedded = started.get().broker();
                    yield started.get().url();
                }
                embedded = new EmbeddedBroker();
                yield embedded.startPersistent(plan.dataDir(), plan.sync(), plan.syncInterval(), log);
            }
            case "artemis" -> settings.brokerUrl().orElseThrow(() -> new IllegalStateException(
                    "eventstream.broker=artemis needs eventstream.broker.url, e.g. tcp://127.0.0.1:61616"));
            default -> throw new IllegalStateException(
                    "eventstream.broker must be 'embedded', 'artemis' or 'container', not '" + mode + "'");
        };
    }

    @Override
    public CompletionStage<Void> send(List<ChannelEvent> events) {
        return send(() -> events.size() == 1 ? "publish to '" + events.get(0).channel() + "'"
                : "publish a batch of " + events.size() + " events", link -> link.send(events));
    }

    @Override
    public void send(PermissionChange change) {
        try {
            send(() -> "announce a permission change of '" + change.user() + "'", link -> link.send(change)).join();
        } catch (CompletionException e) {
            throw (EventStreamException) e.getCause(); // LinkKeeper fails its futures with nothing else
        }
    }

    @Override
    public CompletionStage<Void> announce(String report) {
        return send(() -> "announce this node's presence", link -> link.announce(report));
    }

    private CompletableFuture<Void> send(Supplier<String> what, LinkKeeper.Send send) {
        LinkKeeper current = keeper;
        if (current == null) {
            return CompletableFuture.failedFuture(new EventStreamException(Refusal.UNAVAILABLE, "cannot " + what.get() + ": " + failure));
        }
        return current.send(what, send);
    }

    @Override
    public CompletionStage<Void> mark(String token) {
        return send(() -> "send a marker", link -> link.mark(token));
    }

    @Override
    public Optional<String> failure() {
        LinkKeeper current = keeper;
        Optional<String> linkFailure = current != null ? current.failure() : Optional.of(failure);
        EmbeddedBroker own = embedded;
        return own != null ? linkFailure.or(own::failure) : linkFailure;
    }

    @Override
    public String broker() {
        return settings.broker();
    }

    @Override
    public Optional<String> eventLog() {
        return Optional.ofNullable(eventLogOrNull()).map(EventLog::toString);
    }

    @PreDestroy
    void stop() {
        LinkKeeper current = keeper;
        if (current != null) {
            current.stop();
        }
        if (reconnector != null) {
            reconnector.shutdownNow();
            try {
                reconnector.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (current != null) {
            current.stop(); // again: a link the reconnector opened while it was stopping
        }
        if (sequencerFactory != null) {
            sequencerFactory.close();
        }
        if (factory != null) {
            factory.close();
        }
        if (embedded != null) {
            embedded.stop();
        }
    }
}
