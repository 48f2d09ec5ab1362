package io.eventstream.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the connects of a storm ended. Every connect ends in exactly one way: answered with a status line (200, or a
 * refusal that says when to come back with {@code Retry-After}, or another status), or not answered at all: the
 * TCP connect failed, the server closed or reset the connection before a status line, or nothing came before the
 * bound ({@code offered} minus every other count). The selector thread records; others read a {@link #copy}.
 */
final class StormFigures {

    int offered;
    int opened;
    long startNanos;
    int accepted;
    int refusedWithRetryAfter; // 429 or 503 with Retry-After and a JSON body
    int refusedOther; // any other status, or a 429/503 without Retry-After or JSON
    final Map<String, Integer> statuses = new TreeMap<>();
    int connectFailed; // no TCP connection (refused, reset in the handshake, or the client could not open one)
    int closedUnanswered; // connected, then closed or reset by the server before any status line
    String firstUnanswered;
    final Map<String, Integer> unansweredWhy = new TreeMap<>(); // how the unanswered ones ended, by message
    long lastAnswerNanos;
    final LatencyHistogram answerMicros = new LatencyHistogram(); // from the connect to the status line

    void reset() {
        offered = opened = accepted = refusedWithRetryAfter = refusedOther = connectFailed = closedUnanswered = 0;
        statuses.clear();
        firstUnanswered = null;
        unansweredWhy.clear();
        lastAnswerNanos = 0;
        answerMicros.reset();
    }

    void answered(SseClient.Conn c, String status, String head) {
        long now = System.nanoTime();
        lastAnswerNanos = now;
        answerMicros.record((now - c.openedNanos) / 1000);
        statuses.merge(status, 1, Integer::sum);
        String lower = head.toLowerCase(Locale.ROOT);
        if (status.equals("200")) {
            accepted++;
        } else if ((status.equals("429") || status.equals("503")) && lower.contains("\nretry-after:")
                && lower.contains("\ncontent-type: application/json")) {
            refusedWithRetryAfter++;
        } else {
            refusedOther++;
        }
    }

    void unanswered(SseClient.Conn c, String why) {
        if (c.tcpConnected) {
            closedUnanswered++;
        } else {
            connectFailed++;
        }
        String what = (c.tcpConnected ? "after connecting: " : "connecting: ") + why;
        unansweredWhy.merge(what, 1, Integer::sum);
        if (firstUnanswered == null) {
            firstUnanswered = what;
        }
    }

    int ended() {
        return accepted + refusedWithRetryAfter + refusedOther + connectFailed + closedUnanswered;
    }

    /** Connects that never got a status line: failed, closed unanswered, or still waiting at the bound. */
    int noAnswer() {
        return offered - accepted - refusedWithRetryAfter - refusedOther;
    }

    StormFigures copy() {
        StormFigures f = new StormFigures();
        f.offered = offered;
        f.opened = opened;
        f.startNanos = startNanos;
        f.accepted = accepted;
        f.refusedWithRetryAfter = refusedWithRetryAfter;
        f.refusedOther = refusedOther;
        f.statuses.putAll(statuses);
        f.connectFailed = connectFailed;
        f.closedUnanswered = closedUnanswered;
        f.firstUnanswered = firstUnanswered;
        f.unansweredWhy.putAll(unansweredWhy);
        f.lastAnswerNanos = lastAnswerNanos;
        f.answerMicros.add(answerMicros);
        return f;
    }
}
