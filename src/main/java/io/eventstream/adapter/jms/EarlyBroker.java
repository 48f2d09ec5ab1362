package io.eventstream.adapter.jms;

import io.eventstream.core.config.Settings;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the persistent embedded broker when the container begins to discover the application's beans, on a thread
 * of its own, so that loading its journal (seconds, with a full event log) overlaps the rest of the deployment rather
 * than following it; {@link Broker} takes it when the application starts. Listed in the library's
 * {@code META-INF/services}.
 *
 * <p>Whoever takes the started broker first owns it: {@link Broker} (through {@link #take}), or, when the deployment
 * never gets there, the container's shutdown or a timer that stops a broker left untaken for {@link #UNTAKEN_LIMIT}
 * (a failed deployment may end without a shutdown event, and the broker would hold its data directory's lock).
 */
public class EarlyBroker implements Extension {

    /** What a broker is started with: one started for other settings is not used. */
    record Plan(Path dataDir, boolean sync, Duration syncInterval, String log) {
        static Optional<Plan> of(Settings settings) {
            if (!settings.broker().equals("embedded") || !settings.historyDurable()) {
                return Optional.empty(); // nothing to load: the broker starts in no time with the application
            }
            return Optional.of(new Plan(EmbeddedBroker.dataDir(settings.brokerDataDir()), settings.brokerJournalSync(),
                    settings.brokerJournalSyncInterval(), EventLog.of(settings).toString()));
        }
    }

    /** A started broker, what it was started with, and the in-VM URL to reach it. */
    record Started(Plan plan, EmbeddedBroker broker, String url) {
    }

    private static final Logger LOG = Logger.getLogger(EarlyBroker.class.getName());
    static final Duration UNTAKEN_LIMIT = Duration.ofMinutes(5);

    // The start under way or done, until someone takes it (getAndSet(null): exactly one owner).
    private final AtomicReference<CompletableFuture<Started>> starting = new AtomicReference<>();

    void startEarly(@Observes BeforeBeanDiscovery discovery) {
        Settings settings;
        try {
            settings = Settings.of(ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader()));
            Plan.of(settings).ifPresent(plan -> start(plan, EventLog.of(settings), UNTAKEN_LIMIT));
        } catch (RuntimeException | LinkageError e) {
            // Configuration that cannot be read yet, or is wrong: the broker starts with the application instead,
            // which reports a wrong key the usual way.
            LOG.log(Level.FINE, "eventstream: the embedded broker starts with the application, not early", e);
        }
    }

    /** Starts a broker for {@code plan} on a thread of its own; stops it when nobody took it within {@code limit}. */
    void start(Plan plan, EventLog log, Duration limit) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        CompletableFuture<Started> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            Thread.currentThread().setContextClassLoader(loader); // Artemis loads its modules through it
            EmbeddedBroker broker = new EmbeddedBroker();
            try {
                String url = broker.startPersistent(plan.dataDir(), plan.sync(), plan.syncInterval(), log);
                future.complete(new Started(plan, broker, url));
            } catch (Throwable e) {
                broker.stop(); // releases the journal's lock at once; the failure goes to whoever takes it
                future.completeExceptionally(e);
            }
        }, "eventstream-broker-start");
        thread.setDaemon(true);
        thread.start();
        starting.set(future);
        CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> stopUntaken("nothing took it within " + limit.toSeconds() + " s"));
    }

    /**
     * The broker started early for {@code plan}, or empty when none was (or one was, for another plan: it is stopped),
     * then the caller starts one. Waits for a start still under way, and throws what a failed one threw.
     */
    Optional<Started> take(Plan plan) throws Exception {
        CompletableFuture<Started> future = starting.getAndSet(null);
        if (future == null) {
            return Optional.empty();
        }
        Started started;
        try {
            started = future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
        if (!started.plan().equals(plan)) {
            LOG.info(() -> "eventstream: the embedded broker started early was for other settings; starting another");
            started.broker().stop();
            return Optional.empty();
        }
        return Optional.of(started);
    }

    void stopAtShutdown(@Observes BeforeShutdown shutdown) {
        stopUntaken("the application is shutting down");
    }

    /** Stops a broker that nobody took, once its start is over. */
    void stopUntaken(String why) {
        CompletableFuture<Started> future = starting.getAndSet(null);
        if (future == null) {
            return;
        }
        try {
            Started started = future.join();
            LOG.info(() -> "eventstream: stopping the embedded broker started early: " + why);
            started.broker().stop();
        } catch (CompletionException e) {
            LOG.warning(() -> "eventstream: the embedded broker started early could not start ("
                    + LinkKeeper.describe(e.getCause()) + "), and " + why);
        }
    }
}
