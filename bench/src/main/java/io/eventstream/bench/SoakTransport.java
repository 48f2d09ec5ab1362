package io.eventstream.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** One of the soak's two publishing paths: sends a group of events to a node and tells how each one ended. */
interface SoakTransport {

    /** One event: its channel's number and its sequence number in that channel. */
    record Event(int channel, long seq) {
    }

    /** Published; refused (not published: retry); or unknown (no answer: perhaps published, perhaps not). */
    enum Outcome { SENT, REFUSED, UNKNOWN }

    /** Sends {@code events} (distinct channels) to node {@code node}; one outcome an event, in order. */
    Outcome[] send(int node, List<Event> events);

    /** Over HTTP: {@code POST /eventstream/events/bench-C}, one request an event, a keep-alive connection a node. */
    final class Http implements SoakTransport {
        private final List<InetSocketAddress> nodes;
        private final HttpConnection[] connections;
        private final String token;
        private final long run;

        Http(List<InetSocketAddress> nodes, String token, long run) {
            this.nodes = nodes;
            this.connections = nodes.stream().map(HttpConnection::new).toArray(HttpConnection[]::new);
            this.token = token;
            this.run = run;
        }

        @Override
        public Outcome[] send(int node, List<Event> events) {
            Outcome[] out = new Outcome[events.size()];
            for (int i = 0; i < out.length; i++) {
                Event e = events.get(i);
                String data = Publisher.data(run, e.seq(), SoakPlan.payload(e.channel(), e.seq()));
                byte[] request = Target.EVENTSTREAM.publishRequest(hostPort(nodes.get(node)), token,
                        Bench.channel(e.channel()), data);
                out[i] = outcome(connections[node].send(request, 1));
            }
            return out;
        }
    }

    /**
     * Through {@code EventSender.sendAsync} in the node: one {@code POST /eventstream/bench/soak/send} (bench/probe's
     * SoakProbe) a group, which sends the group's events from one thread and waits for their confirmations.
     */
    final class Sender implements SoakTransport {
        private final List<InetSocketAddress> nodes;
        private final HttpConnection[] connections;
        private final long run;

        Sender(List<InetSocketAddress> nodes, long run) {
            this.nodes = nodes;
            this.connections = nodes.stream().map(HttpConnection::new).toArray(HttpConnection[]::new);
            this.run = run;
        }

        @Override
        public Outcome[] send(int node, List<Event> events) {
            String list = events.stream()
                    .map(e -> e.channel() + ":" + e.seq() + ":" + SoakPlan.payload(e.channel(), e.seq()))
                    .collect(Collectors.joining(","));
            byte[] request = ("POST /eventstream/bench/soak/send?run=" + run + "&events=" + list + " HTTP/1.1\r\nHost: "
                    + hostPort(nodes.get(node)) + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            HttpConnection.Answer answer = connections[node].send(request, 1);
            Outcome[] out = new Outcome[events.size()];
            String letters = answer.body();
            for (int i = 0; i < out.length; i++) {
                if (!answer.ok() || letters.length() != out.length) {
                    out[i] = answer.status() == 0 || answer.ok() ? Outcome.UNKNOWN : Outcome.REFUSED;
                } else {
                    char c = letters.charAt(i);
                    out[i] = c == 't' ? Outcome.SENT : c == 'f' ? Outcome.REFUSED : Outcome.UNKNOWN;
                }
            }
            return out;
        }
    }

    private static Outcome outcome(HttpConnection.Answer answer) {
        return answer.ok() ? Outcome.SENT : answer.status() == 0 ? Outcome.UNKNOWN : Outcome.REFUSED;
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
