package io.eventstream.adapter.http;

import static io.eventstream.fuzz.Fuzz.fuzz;

import io.eventstream.core.access.TokenVerifier;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.ChannelPattern;
import io.eventstream.core.event.EventIds;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.hub.ChannelSelection;
import io.eventstream.core.presence.NodeReport;
import io.eventstream.core.presence.NodeLoad;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's fuzzing of the code that reads input from outside: each parser gets mutations of valid inputs for a fixed
 * time and must either accept the input or refuse it the documented way ({@code EventStreamException}, or
 * {@link IllegalArgumentException} where the parser's contract says so): never another exception, a stack overflow or
 * an error ({@link io.eventstream.fuzz.Fuzz}). The seed is printed; {@code -Dfuzz.seed=N} replays a run. About 2 s per
 * parser; the topic's messages are fuzzed by {@code TopicMessageFuzzTest}.
 */
class InputFuzzTest {

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
