package io.eventstream.core.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a request comes from: its socket's peer, or, when that peer is a trusted proxy, what the proxies say in
 * {@code X-Forwarded-For}.
 *
 * <p>The standard reading: each proxy appends the address it received the request from, so the header's right end is
 * the most trustworthy. Walking it from the right, past every trusted proxy, the first address that is not a trusted
 * proxy is the client (a client can write anything at the left end, but not to the right of what its first trusted
 * proxy appended). When every entry is a trusted proxy, the left-most one is the client. A header with an entry that
 * is not an IP literal (an empty entry, a host name, {@code unknown}, an address with a port) is not believed at all:
 * the client is the peer.
 *
 * @param address            the client's address, as {@link InetAddress#getHostAddress()} writes it (one spelling
 *                           per address: the key its connections are counted by); the peer's own text if it cannot
 *                           be read as an IP literal
 * @param untrustedForwarding whether a peer that is not a trusted proxy sent {@code X-Forwarded-For} (ignored)
 */
public record ClientAddress(String address, boolean untrustedForwarding) {

    /**
     * The client of a request from {@code peer} with these {@code X-Forwarded-For} header values (in the order they
     * came; empty when there is none).
     */
    public static ClientAddress of(String peer, List<String> forwardedFor, TrustedProxies trusted) {
        Optional<InetAddress> direct = IpLiteral.parse(peer);
        String peerAddress = direct.map(InetAddress::getHostAddress).orElse(peer == null ? "unknown" : peer);
        if (forwardedFor.isEmpty()) {
            return new ClientAddress(peerAddress, false);
        }
        if (direct.isEmpty() || !trusted.trusts(direct.get())) {
            return new ClientAddress(peerAddress, true);
        }
        List<InetAddress> hops = hops(forwardedFor);
        if (hops.isEmpty()) {
            return new ClientAddress(peerAddress, false); // malformed: believe nothing of it
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!trusted.trusts(hops.get(i))) {
                return new ClientAddress(hops.get(i).getHostAddress(), false);
            }
        }
        return new ClientAddress(hops.get(0).getHostAddress(), false);
    }

    // Every entry of every header value, left to right; empty when one of them is not an IP literal.
    private static List<InetAddress> hops(List<String> forwardedFor) {
        List<InetAddress> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String entry : value.split(",", -1)) {
                Optional<InetAddress> hop = IpLiteral.parse(entry);
                if (hop.isEmpty()) {
                    return List.of();
                }
                hops.add(hop.get());
            }
        }
        return hops;
    }
}
