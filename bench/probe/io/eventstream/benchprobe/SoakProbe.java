package io.eventstream.benchprobe;

import io.eventstream.api.EventSender;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Added to a copy of the WAR by bench/run for its soak scenario: publishes the events the load client names through
 * {@code EventSender.sendAsync} (application code's path), and tells the node's heap as the JVM's own beans see it.
 */
@Path("soak")
@RequestScoped
public class SoakProbe {

    @Inject
    EventSender events;

    /**
     * Sends each event of {@code events} ({@code channel:seq:bytes,...}, distinct channels) with
     * {@code sendAsync}, in that order from this thread, then waits for every confirmation; answers one letter
     * an event: {@code t} confirmed, {@code f} refused (not published), {@code u} no word within a minute.
     */
    @POST
    @Path("send")
    @Produces(MediaType.TEXT_PLAIN)
    public String send(@QueryParam("run") long run, @QueryParam("events") String list) throws InterruptedException {
        String[] items = list.split(",");
        CompletableFuture<?>[] sent = new CompletableFuture<?>[items.length];
        for (int i = 0; i < items.length; i++) {
            String[] f = items[i].split(":");
            long seq = Long.parseLong(f[1]);
            long micros = System.nanoTime() / 1000;
            String head = "{\"r\":" + run + ",\"s\":" + seq + ",\"t\":" + micros + ",\"p\":\"";
            String pad = "x".repeat(Math.max(0, Integer.parseInt(f[2]) - head.length() - 2));
            JsonObject data = Json.createObjectBuilder().add("r", run).add("s", seq).add("t", micros).add("p", pad)
                    .build();
            try {
                sent[i] = events.sendAsync("bench-" + f[0], "message", data).toCompletableFuture();
            } catch (RuntimeException e) {
                sent[i] = CompletableFuture.failedFuture(e);
            }
        }
        StringBuilder answer = new StringBuilder(items.length);
        for (CompletableFuture<?> s : sent) {
            try {
                s.get(1, TimeUnit.MINUTES);
                answer.append('t');
            } catch (ExecutionException e) {
                answer.append('f');
            } catch (TimeoutException e) {
                answer.append('u');
            }
        }
        return answer.toString();
    }

    /**
     * The heap in use after the JVM's most recent collection, whichever collector ran it (no collection forced), and
     * with {@code gc=true} after a full collection this request asks for ({@code System.gc()}); in bytes.
     */
    @GET
    @Path("jvm")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject jvm(@QueryParam("gc") boolean gc) {
        if (gc) {
            System.gc();
        }
        return Json.createObjectBuilder()
                .add("heapUsed", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
                .add("heapAfterLastGc", heapAfterLastGc()).build();
    }

    private static long heapAfterLastGc() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        com.sun.management.GcInfo latest = null;
        for (var bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof com.sun.management.GarbageCollectorMXBean gcBean) {
                com.sun.management.GcInfo info = gcBean.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() >= latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return -1;
        }
        return latest.getMemoryUsageAfterGc().entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }
}
