package io.eventstream.adapter.jms;

import static io.eventstream.fuzz.Fuzz.fuzz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.EventStreamException;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.EventIds;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.hub.Inbound;
import io.eventstream.core.presence.ClusterPresence;
import io.eventstream.core.presence.NodeLoad;
import io.eventstream.core.presence.NodeReport;
import io.eventstream.fuzz.Fuzz;
import jakarta.jms.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.core.client.impl.ClientMessageImpl;
import org.apache.activemq.artemis.jms.client.ActiveMQBytesMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQTextMessage;
import org.apache.activemq.artemis.utils.UUIDGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's fuzzing of what the topic listener reads from the broker: mutated messages, built as Artemis's JMS client
 * builds them (its {@code ActiveMQTextMessage} over a core {@code ClientMessageImpl}, encoded as for sending and decoded
 * as on receipt), handed to the live listener and to the event log's catch-up. Neither may throw, and whatever they
 * hand the hub must be deliverable: a valid channel and type, compact JSON data, and an id a client can resume from.
 *
 * <p>An input is the message as text: property lines {@code name=value} (a string) or {@code name:=value} (a number
 * or boolean, as other clients send them), a blank line, then the body; a first line {@code !bytes} makes a bytes
 * message, no blank line a text message without text.
 */
class TopicMessageFuzzTest {

    /** An inbound that keeps what reached it. */
    private static final class Kept implements Inbound {
        final List<ChannelEvent> events = new ArrayList<>();

        @Override
        public void event(ChannelEvent event) {
            events.add(event);
        }

        @Override
        public void permissionChanged(PermissionChange change) {
            // any user and channel may change
        }

        @Override
        public int recover(List<LoggedEvent> log) {
            log.forEach(logged -> events.add(logged.event()));
            return log.size();
        }

        @Override
        public void missed() {
        }
    }

    private static final String REPORT = new NodeReport("n1", 1, 2, 3, false, false, false, new NodeLoad(1, 2, 3, 4, 5, 6),
            Map.of("news", 2), Map.of("room/1", Set.of("alice"))).toJson();
    private static final List<String> CORPUS = List.of(
            "channel=news\n\n{\"price\":42,\"tags\":[\"a\"]}",
            "channel=course/42\nevent=score\nid=m3x9k2a1-q7f3c2-0\n\n\"hello\"",
            "channel=user/alice/inbox\nid=ID:4f1c-22\n\n[1,2,{\"a\":null}]",
            "control=permission-changed\nuser=alice\nchannel=news\n\n{}",
            "control=presence\n\n" + REPORT,
            "channel:=42\nevent:=true\n\n-1.5e10",
            "!bytes\nchannel=news\n\n{}",
            "channel=news\nevent=presence-join");

    private final Settings settings = Settings.of(Map.of());
    private final Clock clock = Clock.systemUTC();
    private final Hub hub = new Hub(settings, new Admission(settings, null, null, clock), clock);
    private final ClusterPresence presence = new ClusterPresence(settings, hub, new Admission(settings, null, null, clock), null, clock);
    private final Kept inbound = new Kept();
    private int built; // inputs that became messages
    private int handedOn; // events that reached the hub
    private final TopicListener listener = new TopicListener(inbound, presence);
    // Every dropped message is logged; thousands are expected here.
    private final List<Logger> quieted = List.of(Logger.getLogger(TopicListener.class.getName()),
            Logger.getLogger(LogCatchUp.class.getName()));

    @BeforeEach
    void quiet() {
        quieted.forEach(log -> log.setLevel(Level.OFF));
    }

    @AfterEach
    void loud() {
        quieted.forEach(log -> log.setLevel(null));
    }

    @Test
    void theLiveListenerHandsOnOnlyDeliverableEventsAndNeverThrows() {
        fuzz("TopicListener.onMessage", CORPUS, text -> {
            Message message = message(text);
            if (message != null) {
                listener.onMessage(message);
                assertDeliverable(text);
            }
        });
        assertFuzzed();
    }

    @Test
    void theEventLogsCatchUpKeepsOnlyDeliverableEventsAndNeverThrows() {
        fuzz("LogCatchUp", CORPUS, text -> {
            Message message = message(text);
            if (message != null) {
                LogCatchUp read = new LogCatchUp(Integer.MAX_VALUE);
                read.accept(message);
                listener.recover(read);
                assertDeliverable(text);
            }
        });
        assertFuzzed();
    }

    // A harness that builds no message, or a listener that takes none, would make the fuzzing vacuous.
    private void assertFuzzed() {
        System.out.println("TopicMessageFuzzTest: " + built + " messages built, " + handedOn + " events handed on");
        assertTrue(built > 0 && handedOn > 0, built + " messages built, " + handedOn + " events handed on");
    }

    private void assertDeliverable(String input) {
        built++;
        handedOn += inbound.events.size();
        try {
            for (ChannelEvent event : inbound.events) {
                String what = event + " from " + Fuzz.printable(input);
                // The checks the hub applies to what comes in over HTTP: a refusal here is an event that got through.
                try {
                    assertEquals(event.channel(), ChannelName.require(event.channel()), what);
                    assertEquals(event.type(), EventTypeName.requireFromTopic(event.type()), what);
                    assertEquals(event.data(), JsonData.normalize(event.data()), what);
                    assertEquals(event.id(), EventIds.requireResumable(event.id()), what);
                } catch (EventStreamException refused) {
                    throw new AssertionError("handed on, but not deliverable (" + refused.getMessage() + "): " + what);
                }
            }
        } finally {
            inbound.events.clear();
        }
    }

    /**
     * The message as a receiving client sees it, or null when Artemis's client refuses to build it (a property name
     * that is no Java identifier, say): no publisher could have sent that one.
     */
    static Message message(String text) {
        int split = text.indexOf("\n\n");
        String[] lines = (split < 0 ? text : text.substring(0, split)).split("\n");
        boolean bytes = lines.length > 0 && lines[0].equals("!bytes");
        ClientMessage core = new ClientMessageImpl(bytes ? ActiveMQBytesMessage.TYPE : ActiveMQTextMessage.TYPE, true, 0,
                System.currentTimeMillis(), (byte) 4, 1024);
        core.setUserID(UUIDGenerator.getInstance().generateUUID()); // the JMS message id the broker's client gives it
        try {
            ActiveMQMessage sent = bytes ? ActiveMQMessage.createMessage(core, null) : new ActiveMQTextMessage(core, null);
            sent.clearBody(); // made over a core message, it is read-only, as one received
            sent.clearProperties();
            if (sent instanceof ActiveMQTextMessage textMessage) {
                textMessage.setText(split < 0 ? null : text.substring(split + 2)); // as session.createTextMessage(text)
            }
            for (String line : lines) {
                int equals = line.indexOf('=');
                if (equals <= 0 || line.startsWith("!")) {
                    continue;
                }
                if (line.charAt(equals - 1) == ':') {
                    sent.setObjectProperty(line.substring(0, equals - 1), typed(line.substring(equals + 1)));
                } else {
                    sent.setStringProperty(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            sent.doBeforeSend();
        } catch (Exception refusedByTheClient) {
            return null;
        }
        ActiveMQMessage received = ActiveMQMessage.createMessage(core, null);
        try {
            received.doBeforeReceive();
        } catch (Exception e) {
            throw new AssertionError("Artemis's client could not read a message it wrote", e);
        }
        return received;
    }

    private static Object typed(String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        try {
            return Long.valueOf(value);
        } catch (NumberFormatException e) {
            try {
                return Double.valueOf(value);
            } catch (NumberFormatException notANumber) {
                return value.length();
            }
        }
    }
}
