package io.eventstream.adapter.jms;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.hub.Inbound;
import io.eventstream.core.presence.ClusterPresence;
import io.eventstream.core.presence.NodeLoad;
import io.eventstream.core.presence.NodeReport;
import java.time.Clock;
import java.util.Set;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.activemq.artemis.core.client.impl.ClientMessageImpl;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQTextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages from the topic, ours and foreign, as the listener hands them to the hub: or does not. */
class TopicListenerTest {

    /** An inbound that records what reached it, and can be made to fail. */
    private static final class Recording implements Inbound {
        final List<ChannelEvent> events = new ArrayList<>();
        final List<PermissionChange> changes = new ArrayList<>();
        final List<LoggedEvent> recovered = new ArrayList<>();
        RuntimeException failure;
        int caughtUp;

        @Override
        public int recover(List<LoggedEvent> log) {
            recovered.addAll(log);
            return log.size() - 1; // as if the hub had the first already
        }

        @Override
        public void event(ChannelEvent event) {
            events.add(event);
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void permissionChanged(PermissionChange change) {
            changes.add(change);
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void missed() {
            throw new AssertionError("the listener never reports a gap");
        }

        @Override
        public void caughtUp() {
            caughtUp++;
        }
    }

    private final Recording inbound = new Recording();
    private final Settings settings = Settings.of(Map.of());
    private final Clock clock = Clock.systemUTC();
    private final Hub hub = new Hub(settings, new Admission(settings, null, null, clock), clock);
    private final ClusterPresence presence = new ClusterPresence(settings, hub, new Admission(settings, null, null, clock), null, clock);
    private final TopicListener listener = new TopicListener(inbound, presence);
    // The listener logs every message it drops; that is expected here, so keep it off the console.
    private final Logger log = Logger.getLogger(TopicListener.class.getName());

    @BeforeEach
    void quiet() {
        log.setUseParentHandlers(false);
    }

    @AfterEach
    void loud() {
        log.setUseParentHandlers(true);
    }

    // Test-only properties that set the message's JMS message id and timestamp.
    private static final String JMS_ID = "test-jms-id";
    private static final String TIMESTAMP = "test-timestamp";

    /**
     * A JMS message with these string properties, the JMS message id {@code ID:jms-1} (or {@link #JMS_ID}'s value),
     * timestamp 0 (or {@link #TIMESTAMP}'s) and, for a text message, a body.
     */
    private static <T extends Message> T message(Class<T> type, String body, Map<String, String> properties) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "getText" -> body;
            case "getJMSMessageID" -> properties.getOrDefault(JMS_ID, "ID:jms-1");
            case "getJMSTimestamp" -> Long.parseLong(properties.getOrDefault(TIMESTAMP, "0"));
            case "propertyExists" -> properties.containsKey((String) args[0]);
            case "getStringProperty" -> properties.get((String) args[0]);
            case "getIntProperty" -> Integer.parseInt(properties.get((String) args[0]));
            case "toString" -> "message " + properties;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return type.cast(Proxy.newProxyInstance(TopicListenerTest.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static TextMessage text(String body, String... properties) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < properties.length; i += 2) {
            map.put(properties[i], properties[i + 1]);
        }
        return message(TextMessage.class, body, map);
    }

    private void assertDropped(Message message) {
        assertDoesNotThrow(() -> listener.onMessage(message));
        assertEquals(List.of(), inbound.events, "handed on: " + message);
        assertEquals(List.of(), inbound.changes, "handed on: " + message);
    }

    @Test
    void aValidEventIsHandedOnWithCompactDataTheDefaultTypeAndTheJmsMessageIdWhenItHasNoId() {
        listener.onMessage(text("{ \"price\" : 42,\n  \"tags\": [ \"a\" ] }", "channel", "news"));
        assertEquals(List.of(new ChannelEvent("ID:jms-1", "news", "message", "{\"price\":42,\"tags\":[\"a\"]}")), inbound.events);
    }

    @Test
    void anEventKeepsItsOwnIdAndType() {
        listener.onMessage(text("\"hello\"", "channel", "course/42", "event", "score", "id", "m3x9k2a1-q7f3c2-0"));
        assertEquals(List.of(new ChannelEvent("m3x9k2a1-q7f3c2-0", "course/42", "score", "\"hello\"")), inbound.events);
    }

    @Test
    void aBatchIsHandedOnAsItsEventsInOrderEachCheckedOnItsOwn() {
        listener.onMessage(text("{\"n\":1}\n[1, 2]\n{}\n\"three\"", "batch", "4",
                "batchIds", "m1-a-0\nm1-a-1\nm1-a-2\nm1-a-3",
                "batchChannels", "news\nuser/7\nnews feed\nnews",
                "batchEvents", "message\nalert\nmessage\nmessage"));
        assertEquals(List.of(new ChannelEvent("m1-a-0", "news", "message", "{\"n\":1}"),
                new ChannelEvent("m1-a-1", "user/7", "alert", "[1,2]"),
                new ChannelEvent("m1-a-3", "news", "message", "\"three\"")), inbound.events,
                "the third, with a channel name that is not valid, dropped alone");
    }

    @Test
    void aBatchWhoseListsDoNotHoldItsNumberOfValuesIsDroppedWhole() {
        assertDropped(text("{}\n{}", "batch", "2", "batchIds", "m1-a-0", "batchChannels", "a\nb", "batchEvents", "message\nmessage"));
        assertDropped(text("{}\n{}\n{}", "batch", "2", "batchIds", "m1-a-0\nm1-a-1", "batchChannels", "a\nb",
                "batchEvents", "message\nmessage"));
        assertDropped(text("{}\n{}", "batch", "2", "batchIds", "m1-a-0\nm1-a-1", "batchChannels", "a\nb"));
        assertDropped(text("{}", "batch", "0", "batchIds", "", "batchChannels", "", "batchEvents", ""));
    }

    @Test
    void aMessageWithoutAChannelIsDropped() {
        assertDropped(text("{}"));
        assertDropped(text("{}", "channel", ""));
    }

    @Test
    void aMessageWithABadChannelNameIsDropped() {
        assertDropped(text("{}", "channel", "news feed"));
        assertDropped(text("{}", "channel", "/news"));
        assertDropped(text("{}", "channel", "x".repeat(129)));
    }

    @Test
    void aMessageOfAReservedOrInvalidTypeIsDropped() {
        assertDropped(text("{}", "channel", "news", "event", "stream-open"));
        assertDropped(text("{}", "channel", "news", "event", "stream-reset"));
        assertDropped(text("{}", "channel", "news", "event", "stream-error"));
        assertDropped(text("{}", "channel", "news", "event", "two\nlines"));
    }

    @Test
    void aMessageWhoseIdIsNoEventIdIsDropped() {
        // Found by TopicMessageFuzzTest: the id goes into every subscriber's "id:" line, so a line break in it would
        // write SSE fields of its own (a forged stream-reset, say), and an id of other characters cannot be resumed from.
        assertDropped(text("{}", "channel", "news", "id", "x\nevent: stream-reset\ndata: {}"));
        assertDropped(text("{}", "channel", "news", "id", "two words"));
        assertDropped(text("{}", "channel", "news", "id", ""));
        assertDropped(text("{}", "channel", "news", "id", "7".repeat(129)));
        assertDropped(text("{}", "channel", "news", JMS_ID, null)); // no id property, and message ids disabled
    }

    @Test
    void anArtemisMessageWithNoIdAtAllGetsTheBrokersNumberForIt() throws Exception {
        // As a STOMP publisher's message arrives: no id property, no JMS message id (no user id).
        ClientMessageImpl core = new ClientMessageImpl(ActiveMQTextMessage.TYPE, true, 0, System.currentTimeMillis(), (byte) 4, 1024);
        core.setMessageID(4711);
        ActiveMQTextMessage sent = new ActiveMQTextMessage(core, null);
        sent.clearBody(); // made over a core message, it is read-only, as one received
        sent.clearProperties();
        sent.setText("{}");
        sent.setStringProperty("channel", "news");
        sent.doBeforeSend();
        ActiveMQMessage received = ActiveMQMessage.createMessage(core, null);
        received.doBeforeReceive();

        listener.onMessage(received);

        assertEquals(List.of(new ChannelEvent("AMQ-4711", "news", "message", "{}")), inbound.events);
        assertEquals("AMQ-4711", EventMessage.key(received), "the same key in the live subscription and the log");
    }

    @Test
    void aMessageWhoseBodyIsNotJsonOrMissingIsDropped() {
        assertDropped(text("not json", "channel", "news"));
        assertDropped(text("{\"a\":1} trailing", "channel", "news"));
        assertDropped(text("", "channel", "news"));
        assertDropped(text(null, "channel", "news"));
    }

    @Test
    void aMessageThatIsNotTextIsDropped() {
        assertDropped(message(BytesMessage.class, null, Map.of("channel", "news")));
        assertDropped(message(Message.class, null, Map.of("channel", "news")));
    }

    @Test
    void aMessageThatCannotBeReadIsDropped() {
        assertDropped(brokenMessage(new JMSException("message body cannot be read")));
        assertDropped(brokenMessage(new IllegalStateException("the session is closed")));
    }

    private static TextMessage brokenMessage(Exception failure) {
        return (TextMessage) Proxy.newProxyInstance(TopicListenerTest.class.getClassLoader(),
                new Class<?>[] {TextMessage.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "propertyExists" -> false;
                    case "getStringProperty" -> "news";
                    case "toString" -> "a broken message";
                    default -> throw failure;
                });
    }

    @Test
    void aBadMessageDoesNotStopTheNextGoodOne() {
        listener.onMessage(text("{", "channel", "news"));
        listener.onMessage(text("{}", "channel", "news", "id", "after"));
        assertEquals(List.of("after"), inbound.events.stream().map(ChannelEvent::id).toList());
    }

    @Test
    void aControlMessageBecomesAPermissionChange() {
        listener.onMessage(text("{}", "control", "permission-changed", "user", "alice", "channel", "news"));
        listener.onMessage(text("{}", "control", "permission-changed", "user", "bob"));
        assertEquals(List.of(new PermissionChange("alice", "news"), new PermissionChange("bob", null)), inbound.changes);
        assertEquals(List.of(), inbound.events, "a control message is never an event");
    }

    @Test
    void aControlMessageOfAnUnknownKindOrWithoutAUserIsIgnored() {
        assertDropped(text("{}", "control", "purge-history", "user", "alice", "channel", "news"));
        assertDropped(text("{}", "control", "permission-changed", "channel", "news"));
    }

    @Test
    void aFailureOfTheHubDoesNotEscapeTheListener() {
        inbound.failure = new RuntimeException("a bug in the hub");
        assertDoesNotThrow(() -> listener.onMessage(text("{}", "channel", "news")));
        assertDoesNotThrow(() -> listener.onMessage(text("{}", "control", "permission-changed", "user", "alice")));
        assertEquals(1, inbound.events.size());
        assertEquals(1, inbound.changes.size());
    }

    @Test
    void theLogIsHandedOverOldestFirstWithPublicationTimesAndItsPermissionChangesAreCheckedAgainAfterwards() {
        int taken = listener.recover(List.of(
                text("1", "channel", "news", "id", "a", TIMESTAMP, "1000"),
                text("{}", "control", "permission-changed", "user", "alice", JMS_ID, "ID:c"),
                text("not json", "channel", "news", "id", "bad"),
                text("2", "channel", "sport", "event", "score", "id", "b", TIMESTAMP, "2000")));
        assertEquals(List.of(new LoggedEvent(new ChannelEvent("a", "news", "message", "1"), 1000),
                new LoggedEvent(new ChannelEvent("b", "sport", "score", "2"), 2000)), inbound.recovered,
                "what cannot be delivered live is not delivered from the log either");
        assertEquals(1, taken, "what the hub says it took");
        assertEquals(List.of(new PermissionChange("alice", null)), inbound.changes);
        assertEquals(List.of(), inbound.events);
    }

    @Test
    void liveMessagesThatWereInTheLogAreDroppedUntilTheFirstThatWasNot() {
        listener.recover(List.of(
                text("1", "channel", "news", "id", "a", JMS_ID, "ID:1"),
                text("2", "channel", "news", "id", "b", JMS_ID, "ID:2"),
                text("3", "channel", "news", "id", "c", JMS_ID, "ID:3")));
        // The live subscription opened before the log was read: it starts somewhere in the log's tail.
        listener.onMessage(text("2", "channel", "news", "id", "b", JMS_ID, "ID:2"));
        listener.onMessage(text("3", "channel", "news", "id", "c", JMS_ID, "ID:3"));
        listener.onMessage(text("4", "channel", "news", "id", "d", JMS_ID, "ID:4"));
        // The overlap is over: from here on nothing is compared with the log.
        listener.onMessage(text("1", "channel", "news", "id", "a", JMS_ID, "ID:1"));
        assertEquals(List.of("d", "a"), inbound.events.stream().map(ChannelEvent::id).toList());
    }

    @Test
    void onlyTheMarkerTheCurrentLinkExpectsTellsTheHubItCaughtUpAndNoMarkerEndsTheLogsOverlap() {
        listener.recover(List.of(text("1", "channel", "news", "id", "a", JMS_ID, "ID:1")));
        String earlier = listener.expectMarker();
        String current = listener.expectMarker();
        listener.onMessage(text("{}", "control", "presence", "marker", "another node's", JMS_ID, "ID:m1"));
        listener.onMessage(text("{}", "control", "presence", "marker", earlier, JMS_ID, "ID:m2"));
        assertEquals(0, inbound.caughtUp, "a marker of another node or of an earlier link");
        listener.onMessage(text("{}", "control", "presence", "marker", current, JMS_ID, "ID:m3"));
        listener.onMessage(text("{}", "control", "presence", "marker", current, JMS_ID, "ID:m3"));
        assertEquals(1, inbound.caughtUp, "once, for the current link's marker");

        // The markers were not events, and did not end the overlap with the log: event a is still dropped.
        listener.onMessage(text("1", "channel", "news", "id", "a", JMS_ID, "ID:1"));
        listener.onMessage(text("2", "channel", "news", "id", "b", JMS_ID, "ID:2"));
        assertEquals(List.of("b"), inbound.events.stream().map(ChannelEvent::id).toList());
    }

    private static TextMessage report(String node, long seq, Map<String, Integer> counts) {
        return text(new NodeReport(node, 1, 2, seq, true, false, false, NodeLoad.NONE, counts, Map.of()).toJson(),
                "control", "presence", JMS_ID, "ID:p" + seq);
    }

    @Test
    void aPresenceReportIsHandedToThePresenceAndIsNeverAnEvent() {
        listener.onMessage(report("other", 0, Map.of("news", 3)));
        assertEquals(3, presence.subscribers("news"));
        assertEquals(List.of(), inbound.events);
        assertEquals(List.of(), inbound.changes);
    }

    @Test
    void aPresenceReportThatIsNotOneIsIgnored() {
        assertDropped(text("{\"node\":1}", "control", "presence"));
        assertDropped(text("not json", "control", "presence"));
        assertEquals(0, presence.subscribers("news"));
    }

    @Test
    void aPresenceReportBetweenLiveMessagesThatWereInTheLogDoesNotEndTheOverlap() {
        listener.recover(List.of(
                text("1", "channel", "news", "id", "a", JMS_ID, "ID:1"),
                text("2", "channel", "news", "id", "b", JMS_ID, "ID:2")));
        listener.onMessage(text("1", "channel", "news", "id", "a", JMS_ID, "ID:1"));
        listener.onMessage(report("other", 0, Map.of())); // never in the log: the filter keeps reports out
        listener.onMessage(text("2", "channel", "news", "id", "b", JMS_ID, "ID:2"));
        listener.onMessage(text("3", "channel", "news", "id", "c", JMS_ID, "ID:3"));
        assertEquals(List.of("c"), inbound.events.stream().map(ChannelEvent::id).toList());
    }

    @Test
    void presenceEventsFromTheTopicAndTheLogTellWhoIsAnnouncedPresent() {
        listener.recover(List.of(
                text("{\"user\":\"alice\"}", "channel", "room", "event", "presence-join", "id", "a", JMS_ID, "ID:1"),
                text("{\"user\":\"bob\"}", "channel", "room", "event", "presence-join", "id", "b", JMS_ID, "ID:2")));
        listener.onMessage(text("{\"user\":\"alice\"}", "channel", "room", "event", "presence-leave", "id", "c", JMS_ID, "ID:3"));
        assertEquals(Map.of("room", Set.of("bob")), presence.announced());
        assertEquals(List.of("c"), inbound.events.stream().map(ChannelEvent::id).toList(), "they are events of the channel too");
    }

    @Test
    void withoutOverlapTheFirstLiveMessageIsDelivered() {
        listener.recover(List.of(text("1", "channel", "news", "id", "a", JMS_ID, "ID:1")));
        listener.onMessage(text("2", "channel", "news", "id", "b", JMS_ID, "ID:2"));
        listener.onMessage(text("3", "channel", "news", "id", "c", JMS_ID, "ID:3"));
        assertEquals(List.of("b", "c"), inbound.events.stream().map(ChannelEvent::id).toList());
    }

    @Test
    void aLogReadWhileItIsBrowsedIsHandedOverAndItsInvalidMessagesStillBelongToTheOverlap() {
        LogCatchUp read = new LogCatchUp(Integer.MAX_VALUE);
        read.accept(text("1", "channel", "news", "id", "a", JMS_ID, "ID:1"));
        read.accept(text("not json", "channel", "news", "id", "bad", JMS_ID, "ID:2"));
        read.accept(text("3", "channel", "news", "id", "c", JMS_ID, "ID:3"));
        assertEquals(List.of(), inbound.recovered, "nothing reaches the hub while the log is read");
        assertEquals(1, listener.recover(read), "what the hub says it took");
        assertEquals(List.of("a", "c"), inbound.recovered.stream().map(logged -> logged.event().id()).toList());
        // The live subscription replays the log's tail, the invalid message included: it must not end the overlap.
        listener.onMessage(text("not json", "channel", "news", "id", "bad", JMS_ID, "ID:2"));
        listener.onMessage(text("3", "channel", "news", "id", "c", JMS_ID, "ID:3"));
        listener.onMessage(text("4", "channel", "news", "id", "d", JMS_ID, "ID:4"));
        assertEquals(List.of("d"), inbound.events.stream().map(ChannelEvent::id).toList());
    }
}
