package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SlowClientIT extends HubIT {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @Test
    void aClientThatStopsReadingIsCutOffWithoutHoldingBackThePublisherOrTheOthers() throws Exception {
        int events = 3000;
        try (SseClient healthy = hub.subscribe("slow-test");
             Socket stalled = new Socket()) {
            assertEquals("stream-open", healthy.next(WAIT).event());
            subscribeWithoutReading(stalled, "slow-test");
            hub.awaitStatus(status -> status.getInt("subscriptions") == 2, WAIT);

            // 3000 events of 3 KiB (9 MB): more than the stalled client's socket buffers plus its buffer of 1000 events.
            var sent = hub.post("it/send/burst?channel=slow-test&count=" + events + "&pad=3000", null, null, "");
            assertEquals(200, sent.statusCode(), sent.body());

            List<SseEvent> received = healthy.take(events, Duration.ofSeconds(60));
            for (int i = 0; i < events; i++) {
                assertEquals(i, Hub.json(received.get(i).data()).getInt("seq"));
            }
            // Cut off: it left its channel, and only the healthy client is still connected.
            hub.awaitStatus(status -> status.getInt("subscriptions") == 1 && status.getInt("connections") == 1,
                    Duration.ofSeconds(60));

            // What the stalled client finally reads is an in-order prefix of the burst, then the end of its stream.
            List<Integer> seen = seqs(readToEnd(stalled, Duration.ofSeconds(60)));
            assertTrue(seen.size() < events, "the stalled client got all " + events + " events: it was not cut off");
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i, seen.get(i));
            }
        }
    }

    @Test
    void manyClientsThatStopReadingAtOnceDoNotHoldBackAHealthyOne() throws Exception {
        int events = 3000;
        int stalledCount = 24; // more than the 16 writer threads a stuck write used to take for good
        List<Socket> stalled = new ArrayList<>();
        try (SseClient healthy = hub.subscribe("many-slow")) {
            assertEquals("stream-open", healthy.next(WAIT).event());
            for (int i = 0; i < stalledCount; i++) {
                Socket socket = new Socket();
                stalled.add(socket);
                subscribeWithoutReading(socket, "many-slow");
            }
            hub.awaitStatus(status -> status.getInt("subscriptions") == stalledCount + 1, WAIT);

            var sent = hub.post("it/send/burst?channel=many-slow&count=" + events + "&pad=3000", null, null, "");
            assertEquals(200, sent.statusCode(), sent.body());
            List<SseEvent> received = healthy.take(events, Duration.ofSeconds(60));
            for (int i = 0; i < events; i++) {
                assertEquals(i, Hub.json(received.get(i).data()).getInt("seq"));
            }
            hub.awaitStatus(status -> status.getInt("connections") == 1, Duration.ofSeconds(60));
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    /**
     * Subscribes on a socket that never reads: a small receive buffer, and nothing takes bytes off it.
     * Connection: close, so the connection ends with the stream instead of waiting for a next request.
     */
    private void subscribeWithoutReading(Socket socket, String channel) throws IOException {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(hub.uri("").getHost(), hub.uri("").getPort()));
        URI stream = hub.channels(channel);
        socket.getOutputStream().write(("GET " + stream.getRawPath() + "?" + stream.getRawQuery()
                + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads until the server closes the connection; fails if it stays open longer than {@code timeout} without data. */
    private static String readToEnd(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[65536];
        int n;
        while ((n = in.read(buffer)) != -1) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    // The body of a raw chunked response: several events may share a chunk, and one event may span two.
    private static List<Integer> seqs(String raw) {
        StringBuilder body = new StringBuilder();
        int at = raw.indexOf("\r\n\r\n") + 4;
        while (at > 3 && at < raw.length()) {
            int lineEnd = raw.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(raw.substring(at, lineEnd).trim(), 16);
            if (size == 0 || lineEnd + 2 + size > raw.length()) {
                break; // the last chunk, or one the server cut off mid-way
            }
            body.append(raw, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        List<Integer> seqs = new ArrayList<>();
        Matcher matcher = SEQ.matcher(body.substring(0, Math.max(0, body.lastIndexOf("\n\n")))); // whole events only
        while (matcher.find()) {
            seqs.add(Integer.parseInt(matcher.group(1)));
        }
        return seqs;
    }
}
