package io.eventstream.it.probes;

import io.eventstream.api.EventSender;
import io.eventstream.api.OutgoingEvent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Added to the WAR by the tests: application code that publishes with an injected {@link EventSender},
 * as a user's own code inside the WAR would.
 */
@Path("send")
@RequestScoped
public class SenderProbe {

    /** A value object, serialized by JSON-B. */
    public record Greeting(String text, int count, List<String> tags) {
    }

    @Inject
    EventSender events;

    /**
     * Publishes {@code count} events {@code {"seq":i,"pad":"..."}} in a burst (all in flight at once, in order, with
     * {@code sendAsync}), waits until the broker has them all; answers with the last id.
     */
    @POST
    @Path("burst")
    @Produces(MediaType.TEXT_PLAIN)
    public String burst(@QueryParam("channel") String channel, @QueryParam("count") int count,
                        @QueryParam("pad") @DefaultValue("0") int pad) throws Exception {
        String padding = "x".repeat(pad);
        CompletableFuture<String> last = null;
        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            last = events.sendAsync(channel, "message", Map.of("seq", i, "pad", padding)).toCompletableFuture();
            sent.add(last);
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return last == null ? null : last.join();
    }

    /**
     * Publishes events {@code {"seq":s,"channel":c}} for {@code s} from {@code from} to {@code from + count - 1}, one
     * after the other, each on the channel {@code s} modulo their number picks from the comma-separated
     * {@code channels}; answers with the last id.
     */
    @POST
    @Path("interleaved")
    @Produces(MediaType.TEXT_PLAIN)
    public String interleaved(@QueryParam("channels") String channels, @QueryParam("from") int from,
                              @QueryParam("count") int count) {
        List<String> names = List.of(channels.split(","));
        String id = null;
        for (int seq = from; seq < from + count; seq++) {
            String channel = names.get(seq % names.size());
            id = events.send(channel, Map.of("seq", seq, "channel", channel));
        }
        return id;
    }

    /**
     * Publishes {@code count} events {@code {"seq":i}} with {@code sendAsync} from this one thread, all in flight at
     * once, then waits for every confirmation; answers with the ids, comma-separated, in the order sent.
     */
    @POST
    @Path("async")
    @Produces(MediaType.TEXT_PLAIN)
    public String async(@QueryParam("channel") String channel, @QueryParam("count") int count) throws Exception {
        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(events.sendAsync(channel, "message", Map.of("seq", i)).toCompletableFuture());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return sent.stream().map(CompletableFuture::join).collect(Collectors.joining(","));
    }

    /**
     * Publishes {@code "first"} with {@code sendAsync} and, in its continuation, {@code "second"} with the blocking
     * {@code send}, as an application chaining sends would; answers with both ids.
     */
    @POST
    @Path("chained")
    @Produces(MediaType.TEXT_PLAIN)
    public String chained(@QueryParam("channel") String channel) throws Exception {
        return events.sendAsync(channel, "message", "first")
                .thenApply(first -> first + "," + events.send(channel, "second"))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Publishes one event {@code {"seq":i}} per listed channel with {@code sendAll}; answers with the ids. */
    @POST
    @Path("all")
    @Produces(MediaType.TEXT_PLAIN)
    public String all(@QueryParam("channels") String channels) {
        List<String> names = List.of(channels.split(","));
        List<OutgoingEvent> batch = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            batch.add(OutgoingEvent.of(names.get(i), Map.of("seq", i)));
        }
        return String.join(",", events.sendAll(batch));
    }

    /** Publishes one {@link Greeting} with the given event type. */
    @POST
    @Path("greeting")
    @Produces(MediaType.TEXT_PLAIN)
    public String greeting(@QueryParam("channel") String channel, @QueryParam("event") @DefaultValue("greeting") String type) {
        return events.send(channel, type, new Greeting("hello\nworld", 2, List.of("a", "b")));
    }

    /** {@code EventSender.presence(channel)}: the channel's subscribers across the nodes, as application code sees it. */
    @jakarta.ws.rs.GET
    @Path("presence")
    @Produces(MediaType.TEXT_PLAIN)
    public String presence(@QueryParam("channel") String channel) {
        return Integer.toString(events.presence(channel));
    }
}
