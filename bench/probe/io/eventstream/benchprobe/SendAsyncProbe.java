package io.eventstream.benchprobe;

import io.eventstream.api.EventSender;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Added to a copy of the WAR by bench/run for its sender scenario only: application code publishing with
 * {@code EventSender.sendAsync} from one thread, as fast as the hub takes it. Event {@code k} goes to channel
 * {@code bench-(k % channels)} with the load client's data format ({@code {"r":run,"s":seq,"t":micros,"p":".."}}).
 */
@Path("send-async")
@RequestScoped
public class SendAsyncProbe {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    EventSender events;

    /** Sends {@code count} events from this thread without waiting, then waits for all; answers how long it took. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject send(@QueryParam("channels") int channels, @QueryParam("count") int count,
                           @QueryParam("run") long run, @QueryParam("payload") int payload) throws Exception {
        String pad = "x".repeat(Math.max(0, payload - 40));
        CompletableFuture<?>[] sent = new CompletableFuture<?>[count];
        long start = System.nanoTime();
        for (int k = 0; k < count; k++) {
            JsonObject data = JSON.createObjectBuilder().add("r", run).add("s", k / channels)
                    .add("t", System.nanoTime() / 1000).add("p", pad).build();
            sent[k] = events.sendAsync("bench-" + (k % channels), "message", data).toCompletableFuture();
        }
        long handedOver = System.nanoTime();
        CompletableFuture.allOf(sent).get(5, TimeUnit.MINUTES);
        long confirmed = System.nanoTime();
        return Json.createObjectBuilder().add("sent", count)
                .add("handOverSeconds", (handedOver - start) / 1e9)
                .add("seconds", (confirmed - start) / 1e9).build();
    }
}
