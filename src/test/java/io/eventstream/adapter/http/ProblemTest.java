package io.eventstream.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.limits.RetryLater;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refusals as the client sees them: a status, the headers it requires, and the body {"condition":..,"text":..}. */
class ProblemTest {

    // What Problem logs, kept off the console: a 500's log line is where its details go.
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(Problem.class.getName());
    private final Handler recorder = new Handler() {
        @Override public void publish(LogRecord record) { logged.add(record); }
        @Override public void flush() { }
        @Override public void close() { }
    };

    @BeforeEach
    void recordTheLog() {
        log.addHandler(recorder);
        log.setUseParentHandlers(false);
    }

    @AfterEach
    void restoreTheLog() {
        log.removeHandler(recorder);
        log.setUseParentHandlers(true);
    }

    /** What a servlet response was given by {@link Problem#writeTo}. */
    private static final class Recorded {
        int status;
        String contentType;
        int contentLength = -1;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        JsonObject json() {
            return JsonData.parse(body.toString(StandardCharsets.UTF_8)).asJsonObject();
        }
    }

    private static Recorded written(Problem problem) throws Exception {
        Recorded recorded = new Recorded();
        ServletOutputStream out = new ServletOutputStream() {
            @Override public boolean isReady() { return true; }
            @Override public void setWriteListener(WriteListener listener) { }
            @Override public void write(int b) { recorded.body.write(b); }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(ProblemTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> recorded.status = (Integer) args[0];
                        case "setHeader" -> recorded.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> recorded.contentType = (String) args[0];
                        case "setContentLength" -> recorded.contentLength = (Integer) args[0];
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
        problem.writeTo(response);
        return recorded;
    }

    @Test
    void everyConditionIsAnsweredWithItsStatusAndCodeAndTheTextThatSaysWhatToFix() throws Exception {
        for (Refusal condition : Refusal.values()) {
            String text = "what to fix: \"" + condition + "\"";
            Problem problem = Problem.of(new EventStreamException(condition, text));
            assertEquals(condition.status(), problem.status(), condition.name());
            Recorded response = written(problem);
            assertEquals(condition.status(), response.status, condition.name());
            assertEquals(MediaType.APPLICATION_JSON, response.contentType);
            assertEquals(response.body.size(), response.contentLength);
            assertEquals(Set.of("condition", "text"), response.json().keySet());
            assertEquals(condition.code(), response.json().getString("condition"));
            assertEquals(text, response.json().getString("text"));
        }
    }

    @Test
    void theCatalogueHasTheStatusesOfTheContract() {
        Map<Refusal, Integer> contract = Map.ofEntries(Map.entry(Refusal.BAD_REQUEST, 400),
                Map.entry(Refusal.UNAUTHORIZED, 401), Map.entry(Refusal.FORBIDDEN, 403),
                Map.entry(Refusal.NOT_FOUND, 404), Map.entry(Refusal.METHOD_NOT_ALLOWED, 405),
                Map.entry(Refusal.NOT_ACCEPTABLE, 406), Map.entry(Refusal.TOO_LARGE, 413),
                Map.entry(Refusal.UNSUPPORTED_MEDIA_TYPE, 415), Map.entry(Refusal.TOO_MANY_REQUESTS, 429),
                Map.entry(Refusal.UNAVAILABLE, 503), Map.entry(Refusal.INTERNAL_ERROR, 500));
        assertEquals(contract.keySet(), Set.of(Refusal.values()));
        contract.forEach((condition, status) -> assertEquals(status, condition.status(), condition.name()));
        assertEquals("too-many-requests", Refusal.TOO_MANY_REQUESTS.code());
        assertEquals("unsupported-media-type", Refusal.UNSUPPORTED_MEDIA_TYPE.code());
    }

    @Test
    void a401NamesItsSchemeAndA429SaysWhenToComeBack() throws Exception {
        Recorded unauthorized = written(Problem.of(new EventStreamException(Refusal.UNAUTHORIZED, "send a token")));
        assertEquals(Map.of("WWW-Authenticate", "Bearer realm=\"eventstream\""), unauthorized.headers);
        Recorded tooMany = written(Problem.of(new EventStreamException(Refusal.TOO_MANY_REQUESTS, "full")));
        assertEquals(Map.of("Retry-After", "10"), tooMany.headers);
        for (Refusal other : Refusal.values()) {
            if (other != Refusal.UNAUTHORIZED && other != Refusal.TOO_MANY_REQUESTS) {
                assertEquals(Map.of(), written(Problem.of(new EventStreamException(other, "no"))).headers, other.name());
            }
        }
    }

    @Test
    void aRefusalThatKnowsWhenToRetrySaysSoAndIsLeftToItsThrowerToLog() throws Exception {
        Recorded later = written(Problem.of(new RetryLater("over eventstream.publish.rate", 7)));
        assertEquals(429, later.status);
        assertEquals(Map.of("Retry-After", "7"), later.headers);
        assertEquals("too-many-requests", later.json().getString("condition"));
        assertEquals("over eventstream.publish.rate", later.json().getString("text"));
        assertEquals(List.of(), logged, "its thrower logs it, throttled");
    }

    @Test
    void anyOtherFailureIsA500ThatGivesAwayNothing() throws Exception {
        IllegalStateException secret = new IllegalStateException("password=hunter2 at db.internal:5432");
        Throwable[] failures = {
            new NullPointerException("field 'secret' of Internal is null"),
            secret,
            new RuntimeException("wrapped", secret),
            new WebApplicationException("HTTP 502 upstream db.internal", new StatusOnly(502)),
            new StackOverflowError("deep"),
        };
        for (Throwable failure : failures) {
            Recorded response = written(Problem.of(failure));
            assertEquals(500, response.status, failure.toString());
            assertEquals("internal-error", response.json().getString("condition"));
            String body = response.body.toString(StandardCharsets.UTF_8);
            for (String leak : new String[] {"hunter2", "db.internal", "secret", "wrapped", "deep", "Exception", "Error:",
                    "at io.", "ProblemTest"}) {
                assertFalse(body.contains(leak), "the body gives away '" + leak + "': " + body);
            }
            assertTrue(response.json().getString("text").contains("server log"), body);
            LogRecord line = logged.get(logged.size() - 1);
            assertEquals(Level.SEVERE, line.getLevel());
            assertEquals(failure, line.getThrown(), "the server log has the details");
        }
    }

    /** A JAX-RS response that only has a status: enough for a WebApplicationException, without a JAX-RS runtime. */
    private static final class StatusOnly extends Response {

        private final int status;

        StatusOnly(int status) {
            this.status = status;
        }

        @Override public int getStatus() { return status; }
        @Override public StatusType getStatusInfo() { return Status.fromStatusCode(status); }
        @Override public Object getEntity() { return null; }
        @Override public <T> T readEntity(Class<T> type) { throw new UnsupportedOperationException(); }
        @Override public <T> T readEntity(GenericType<T> type) { throw new UnsupportedOperationException(); }
        @Override public <T> T readEntity(Class<T> type, Annotation[] annotations) { throw new UnsupportedOperationException(); }
        @Override public <T> T readEntity(GenericType<T> type, Annotation[] annotations) { throw new UnsupportedOperationException(); }
        @Override public boolean hasEntity() { return false; }
        @Override public boolean bufferEntity() { return false; }
        @Override public void close() { }
        @Override public MediaType getMediaType() { return null; }
        @Override public Locale getLanguage() { return null; }
        @Override public int getLength() { return -1; }
        @Override public Set<String> getAllowedMethods() { return Set.of(); }
        @Override public Map<String, NewCookie> getCookies() { return Map.of(); }
        @Override public EntityTag getEntityTag() { return null; }
        @Override public Date getDate() { return null; }
        @Override public Date getLastModified() { return null; }
        @Override public URI getLocation() { return null; }
        @Override public Set<Link> getLinks() { return Set.of(); }
        @Override public boolean hasLink(String relation) { return false; }
        @Override public Link getLink(String relation) { return null; }
        @Override public Link.Builder getLinkBuilder(String relation) { return null; }
        @Override public MultivaluedMap<String, Object> getMetadata() { throw new UnsupportedOperationException(); }
        @Override public MultivaluedMap<String, String> getStringHeaders() { throw new UnsupportedOperationException(); }
        @Override public String getHeaderString(String name) { return null; }
    }
}
