package io.eventstream.adapter.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the embedded broker's journal gathers records before it writes them: briefly when a write is not
 * synced (a publish waits for the write), Artemis's own spacing when each write is synced to disk.
 */
class JournalFlushTest {

    @TempDir
    Path data;

    private final EmbeddedBroker broker = new EmbeddedBroker();

    @AfterEach
    void stop() throws Exception {
        broker.stop();
    }

    @Test
    void withoutSyncTheJournalWritesWithinHalfAMillisecond() throws Exception {
        broker.startPersistent(data, false, Duration.ZERO, new EventLog("t", 3));
        assertEquals(500_000, broker.server().getConfiguration().getJournalBufferTimeout_NIO());
        assertEquals(false, broker.server().getConfiguration().isJournalDatasync());
    }

    @Test
    void withSyncItKeepsArtemisSpacingOfTheSyncs() throws Exception {
        broker.startPersistent(data, true, Duration.ZERO, new EventLog("t", 3));
        assertEquals(ActiveMQDefaultConfiguration.getDefaultJournalBufferTimeoutNio(),
                broker.server().getConfiguration().getJournalBufferTimeout_NIO());
        assertEquals(true, broker.server().getConfiguration().isJournalDatasync());
    }
}
