package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.StormClient;
import io.eventstream.it.support.StormClient.Answer;
import io.eventstream.it.support.TwoNodes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, connect storms: when thousands of subscribers connect at once (as every node restart makes plain
 * {@code EventSource} clients do), each one gets an HTTP answer: its stream, or a refusal with {@code Retry-After}
 * and the JSON problem, never a connection closed without a word. Before {@code deploy/payara-micro/pre-boot.asadmin}
 * lifted the {@code http-thread-pool}'s task queue limit (4,096), Payara closed the connections it could not queue
 * ({@code RejectedExecutionException: The thread pool's task queue is full}).
 *
 * <p>A Payara Micro node of its own, started as {@code deploy/payara-micro/run.sh} starts one (the same pre-boot
 * file), with room for fewer streams than connect, so both answers occur. Nothing here depends on timing: the bound
 * only keeps a broken server from holding the build.
 */
class ConnectStormIT {

    // Three times the task queue Payara had (4,096), at once; the test JVM and the node each hold them (20,000 files).
    private static final int CONNECTIONS = 12_000;
    private static final int MAX_STREAMS = 2000;
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static HubProcess node;

    @BeforeAll
    static void startNode() throws Exception {
        node = HubProcess.payaraMicro("connect-storm", Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")),
                // All connect from 127.0.0.1: only the node's limit is under test here, not the one per address.
                Map.of("eventstream.connections.max", String.valueOf(MAX_STREAMS),
                        "eventstream.connections.max-per-ip", String.valueOf(CONNECTIONS)));
        TwoNodes.awaitUp(node, TwoNodes.STARTUP);
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everySubscriberOfAConnectStormGetsItsStreamOrARefusalWithRetryAfterNeverAClosedSocket() throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", node.base().getPort());
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            requests.add(("GET /eventstream/events?channel=storm-" + (i % 50) + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + server.getPort() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        List<Answer> answers;
        try (StormClient storm = StormClient.storm(server, requests, BOUND)) {
            answers = storm.answers();
        }

        List<Answer> unanswered = answers.stream().filter(a -> !a.answered()).toList();
        assertEquals(List.of(), unanswered.stream().limit(5).toList(), unanswered.size() + " of " + CONNECTIONS
                + " connections got no HTTP answer; statuses of the others: " + statuses(answers));
        List<Answer> wrong = answers.stream().filter(a -> !(isStream(a) || isRefusalWithRetryAfter(a))).toList();
        assertEquals(List.of(), wrong.stream().limit(5).toList(), wrong.size() + " answers were neither a stream nor a"
                + " refusal with Retry-After and a JSON problem; statuses: " + statuses(answers));
        long streams = answers.stream().filter(ConnectStormIT::isStream).count();
        assertEquals(MAX_STREAMS, streams, "eventstream.connections.max streams, and no more, were accepted: " + statuses(answers));
        assertTrue(streams < CONNECTIONS, "some were refused");
    }

    private static boolean isStream(Answer a) {
        return a.status() == 200 && a.headers().getOrDefault("content-type", "").startsWith("text/event-stream");
    }

    private static boolean isRefusalWithRetryAfter(Answer a) {
        return (a.status() == 429 || a.status() == 503)
                && a.headers().getOrDefault("retry-after", "").matches("\\d+")
                && a.headers().getOrDefault("content-type", "").startsWith("application/json")
                && a.body().contains("\"condition\"") && a.body().contains("\"text\"");
    }

    private static Map<Integer, Long> statuses(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
    }
}
