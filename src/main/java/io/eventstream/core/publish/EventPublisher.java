package io.eventstream.core.publish;

import io.eventstream.api.EventSender;
import io.eventstream.api.EventStreamException;
import io.eventstream.api.OutgoingEvent;
import io.eventstream.api.Refusal;
import io.eventstream.core.config.ContainerThreads;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.EventIds;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.metrics.Timings;
import io.eventstream.core.presence.ClusterPresence;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The {@link EventSender} applications inject, and the way HTTP publishing goes too: checks events, gives them
 * their ids and sends them through the {@link Outbound}, without waiting for the broker unless asked to. It counts the
 * events the broker confirmed, by the way they came ({@link #publish} and {@link #publishAll} are HTTP's), and times
 * each publish from acceptance to confirmation.
 */
@ApplicationScoped
public class EventPublisher implements EventSender {

    private final EventIds ids = new EventIds();

    @Inject
    Outbound topic;

    @Inject
    Settings settings;

    @Inject
    Timings timings;

    @Inject
    ClusterPresence presence;

    private final LongAdder publishedOverHttp = new LongAdder();
    private final LongAdder publishedFromJava = new LongAdder();

    // Makes the thread that completes the async forms' stages, so that an application's continuations run neither on
    // the broker client's thread that confirms sends (where a blocking send would wait for a confirmation only that
    // thread can deliver) nor through the container's ManagedExecutorService, which captures the caller's context
    // for every task: measured at half of the CPU of a sendAsync on Payara.

    private Executor executor;
    private int maxBytes;
    private int maxBatch;

    /** For CDI. */
    public EventPublisher() {
    }

    /** A publisher outside CDI (tests, tools); {@code callbacks} runs the continuations of the async forms. */
    public EventPublisher(Outbound topic, Settings settings, Executor callbacks) {
        this(topic, settings, callbacks, null);
    }

    /** As {@link #EventPublisher(Outbound, Settings, Executor)}, answering {@link #presence} from {@code presence}. */
    public EventPublisher(Outbound topic, Settings settings, Executor callbacks, ClusterPresence presence) {
        this.presence = presence;
        this.topic = topic;
        this.settings = settings;
        this.timings = Timings.NONE;
        this.executor = callbacks;
        readSettings();
    }

    @PostConstruct
    void start() {
        // One thread: continuations run in the order the broker confirmed, and one that blocks only delays the others.
        executor = Executors.newSingleThreadExecutor(ContainerThreads.factory());
        readSettings();
    }

    @PreDestroy
    void stop() {
        if (executor instanceof ExecutorService own) { // the one start() made; CDI calls stop() only after start()
            own.shutdown();
        }
    }

    private void readSettings() {
        maxBytes = settings.maxEventBytes();
        maxBatch = settings.maxBatch();
    }

    @Override
    public String send(String channel, String eventType, Object data) {
        return await(publish(new EventDraft(channel, eventType, JsonData.of(data)), publishedFromJava));
    }

    @Override
    public CompletionStage<String> sendAsync(String channel, String eventType, Object data) {
        return publish(new EventDraft(channel, eventType, JsonData.of(data)), publishedFromJava)
                .thenApplyAsync(id -> id, executor);
    }

    @Override
    public List<String> sendAll(List<OutgoingEvent> events) {
        return await(publishAll(drafts(events), publishedFromJava));
    }

    @Override
    public CompletionStage<List<String>> sendAllAsync(List<OutgoingEvent> events) {
        return publishAll(drafts(events), publishedFromJava).thenApplyAsync(sentIds -> sentIds, executor);
    }

    private List<EventDraft> drafts(List<OutgoingEvent> events) {
        requireBatchSize(events.size());
        List<EventDraft> drafts = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            OutgoingEvent event = events.get(i);
            if (event == null) {
                throw new EventStreamException(Refusal.BAD_REQUEST, "item " + i + ": is null");
            }
            drafts.add(new EventDraft(event.channel(), event.eventType(), item(i, () -> JsonData.of(event.data()))));
        }
        return drafts;
    }

    @Override
    public void channelPermissionChanged(String user, String channel) {
        if (user == null) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "user is required: anonymous streams are not tracked per user");
        }
        topic.send(new PermissionChange(user, channel == null ? null : ChannelName.require(channel)));
    }

    @Override
    public int presence(String channel) {
        return presence.subscribers(ChannelName.require(channel));
    }

    /**
     * Publishes one event whose data is already compact JSON text: HTTP publishing (counted as such).
     *
     * @return the event's id once the broker has accepted it
     * @throws EventStreamException at once, nothing sent, when the event is not valid
     */
    public CompletionStage<String> publish(EventDraft draft) {
        return publish(draft, publishedOverHttp);
    }

    /**
     * Publishes events in order, all or none of them checked first: a bad one is refused naming its index, and
     * nothing is sent. HTTP's batch publishing (counted as such).
     *
     * @return the ids in order, once the broker has accepted every event
     */
    public CompletionStage<List<String>> publishAll(List<EventDraft> drafts) {
        return publishAll(drafts, publishedOverHttp);
    }

    private CompletionStage<String> publish(EventDraft draft, LongAdder published) {
        ChannelEvent event = checked(draft);
        return sent(List.of(event), published).thenApply(sent -> event.id());
    }

    private CompletionStage<List<String>> publishAll(List<EventDraft> drafts, LongAdder published) {
        requireBatchSize(drafts.size());
        List<ChannelEvent> events = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            EventDraft draft = drafts.get(i);
            events.add(item(i, () -> checked(draft)));
        }
        List<String> sentIds = events.stream().map(ChannelEvent::id).toList();
        return sent(events, published).thenApply(sent -> sentIds);
    }

    // Counts and times what the broker confirmed; a failed send counts nothing (its caller was told).
    private CompletionStage<Void> sent(List<ChannelEvent> events, LongAdder published) {
        long accepted = System.nanoTime();
        return topic.send(events).whenComplete((sent, failure) -> {
            if (failure == null) {
                published.add(events.size());
                timings.publishConfirmed(System.nanoTime() - accepted);
            }
        });
    }

    /** Events published over HTTP on this node and confirmed by the broker, since it started. */
    public long publishedOverHttp() {
        return publishedOverHttp.sum();
    }

    /** Events published from Java ({@code EventSender}, {@code Channels}) on this node and confirmed, since it started. */
    public long publishedFromJava() {
        return publishedFromJava.sum();
    }

    /** Refuses an empty batch or one over {@code eventstream.publish.max-batch}. */
    public void requireBatchSize(int size) {
        if (size == 0) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "the batch is empty; send at least one event");
        }
        if (size > maxBatch) {
            throw new EventStreamException(Refusal.TOO_LARGE, "the batch has " + size + " events; the limit is " + maxBatch
                    + " (eventstream.publish.max-batch)");
        }
    }

    // Validates a draft and gives it its id.
    private ChannelEvent checked(EventDraft draft) {
        String channel = ChannelName.require(draft.channel());
        String type = EventTypeName.require(draft.type());
        int size = draft.json().getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new EventStreamException(Refusal.TOO_LARGE, "event data is " + size + " bytes; the limit is " + maxBytes
                    + " (eventstream.event.max-bytes)");
        }
        return new ChannelEvent(ids.next(), channel, type, draft.json());
    }

    /** Runs a check of a batch's item {@code index}, naming the item in what it refuses. */
    public static <T> T item(int index, Supplier<T> check) {
        try {
            return check.get();
        } catch (EventStreamException e) {
            throw new EventStreamException(e.refusal(), "item " + index + ": " + e.getMessage(), e);
        }
    }

    // The blocking forms: the stage's failure is thrown as it is, an EventStreamException.
    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof EventStreamException refused) {
                throw new EventStreamException(refused.refusal(), refused.getMessage(), refused);
            }
            throw new EventStreamException(Refusal.UNAVAILABLE, "the broker did not accept the event: " + e.getCause(), e);
        }
    }
}
