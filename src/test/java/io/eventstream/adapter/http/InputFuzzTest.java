package io.eventstream.adapter.http;

import static org.junit.jupiter.api.Assertions.fail;

import io.eventstream.api.EventStreamException;
import io.eventstream.core.access.TokenVerifier;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.ChannelPattern;
import io.eventstream.core.event.EventIds;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.hub.ChannelSelection;
import io.eventstream.core.presence.NodeReport;
import io.eventstream.core.presence.NodeLoad;
import io.eventstream.fuzz.Mutator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's fuzzing of the code that reads input from outside: each parser gets mutations of valid inputs for a fixed
 * time and must either accept the input or refuse it the documented way ({@link EventStreamException}, or
 * {@link IllegalArgumentException} where the parser's contract says so): never another exception, a stack overflow or
 * an error. The seed is printed; {@code -Dfuzz.seed=N} replays a run. About 2 s per parser.
 */
class InputFuzzTest {

    private static final long MILLIS_PER_PARSER = Long.getLong("fuzz.millis", 2_000);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

    private static void fuzz(String parser, List<String> corpus, Consumer<String> parse, Class<?>... refusals) {
        Mutator inputs = new Mutator(SEED + parser.hashCode(), corpus);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MILLIS_PER_PARSER);
        int runs = 0;
        while (System.nanoTime() < deadline) {
            String input = inputs.next();
            runs++;
            try {
                parse.accept(input);
            } catch (EventStreamException refused) {
                // the documented refusal
            } catch (Throwable other) {
                if (List.of(refusals).stream().anyMatch(type -> type.isInstance(other))) {
                    continue;
                }
                fail(parser + " threw " + other + " for an input of " + input.length() + " characters (seed " + SEED
                        + ", -Dfuzz.seed to replay): " + printable(input), other);
            }
        }
        System.out.println("InputFuzzTest: " + parser + " took " + runs + " inputs (seed " + SEED + ")");
    }

    private static String printable(String input) {
        String shown = input.length() > 300 ? input.substring(0, 300) + "... (" + input.length() + ")" : input;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    @Test
    void channelNamesPatternsSelectionsTypesAndIds() {
        List<String> names = List.of("news", "course-state/42", "user/alice/inbox", "a:b@c.d_e-f", "user/alice/*", "course*");
        fuzz("ChannelName", names, ChannelName::require);
        fuzz("ChannelPattern", names, name -> ChannelPattern.require(name, false));
        fuzz("ChannelSelection", List.of("news&user/*", "a&b&c", "user/alice/*&news"),
                joined -> ChannelSelection.parse(List.of(joined.split("&")), 10));
        fuzz("EventTypeName", List.of("message", "price-update", "a.b:c_d"), EventTypeName::require);
        fuzz("EventIds", List.of("m3x9k2a1-q7f3c2-0", "ID:abc-1", "log-start"), EventIds::requireResumable);
    }

    @Test
    void urlsAndBodies() {
        fuzz("UrlParts.path", List.of("/news", "/course-state%2F42", "/a%20b", "/user/alice/*"), UrlParts::path);
        fuzz("UrlParts.query", List.of("channel=a&channel=b", "channel=user%2Falice%2F*&lastEventId=x", "token=eyJ"),
                UrlParts::query);
        List<String> bodies = List.of("{\"data\":{\"price\":42}}", "{\"event\":\"tick\",\"data\":[1,2,{\"a\":null}]}",
                "{\"data\":\"text \\u00e9\"}", "{\"data\":-1.5e10}");
        fuzz("PublishBody.one", bodies, body -> PublishBody.one(body, "news"));
        fuzz("PublishBody.batch", List.of("[{\"channel\":\"a\",\"data\":1},{\"channel\":\"b\",\"event\":\"x\",\"data\":{}}]"),
                body -> PublishBody.batch(body, size -> { }));
        fuzz("JsonData.normalize", bodies, JsonData::normalize);
    }

    @Test
    void tokensAndPresenceReports() {
        TokenVerifier verifier = new TokenVerifier("a-secret-of-at-least-32-bytes-long!!", Clock.systemUTC());
        fuzz("TokenVerifier", List.of("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImNoYW5uZWxzIjpbIioiXX0.c2ln",
                "a.b.c", "eyJ.eyJ."), verifier::verify);
        String report = new NodeReport("n1", 1, 2, 3, false, false, false, new NodeLoad(1, 2, 3, 4, 5, 6),
                Map.of("news", 2), Map.of("room/1", java.util.Set.of("alice"))).toJson();
        // NodeReport.parse refuses what is not a report with IllegalArgumentException (the listener logs and drops it).
        fuzz("NodeReport", List.of(report), NodeReport::parse, IllegalArgumentException.class);
    }
}
