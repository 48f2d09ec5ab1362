package io.eventstream.core.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The proxies whose {@code X-Forwarded-For} is believed ({@code eventstream.proxies.trusted}): single addresses and
 * CIDR ranges, IPv4 and IPv6 ({@code 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8}). A range matches addresses of its own
 * family only; an IPv4-mapped IPv6 address counts as the IPv4 address ({@link IpLiteral}).
 */
public final class TrustedProxies {

    /** Trusts nobody: every request's client is its socket's peer. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

    private final List<Network> ranges;
    private final String written;

    /** A network: the first {@code bits} bits of {@code network}'s bytes. */
    private record Network(byte[] network, int bits) {

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (bytes[whole] & mask) == (network[whole] & mask);
        }
    }

    private TrustedProxies(List<Network> ranges, String written) {
        this.ranges = ranges;
        this.written = written;
    }

    /**
     * Reads a comma-separated list of addresses and CIDR ranges; empty or blank: {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address or a range (a host name, say)
     */
    public static TrustedProxies parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        List<Network> ranges = new ArrayList<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                ranges.add(range(trimmed));
            }
        }
        return new TrustedProxies(List.copyOf(ranges), list.trim());
    }

    private static Network range(String entry) {
        int slash = entry.indexOf('/');
        String literal = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress address = IpLiteral.parse(literal).orElseThrow(() -> new IllegalArgumentException(
                "'" + entry + "' is not an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8 (host names are not accepted)"));
        int width = address.getAddress().length * 8;
        if (slash < 0) {
            return new Network(address.getAddress(), width);
        }
        // An IPv4-mapped network (::ffff:10.0.0.0/104) is read as the IPv4 address: keep the IPv4 part of its prefix.
        boolean mapped = width == 32 && literal.contains(":");
        int written = mapped ? 128 : width;
        String bits = entry.substring(slash + 1);
        if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > written) {
            throw new IllegalArgumentException("'" + entry + "' has a prefix length that is not a number from 0 to " + written);
        }
        int prefix = Integer.parseInt(bits);
        if (mapped) {
            if (prefix < 96) {
                throw new IllegalArgumentException("'" + entry + "' is an IPv4-mapped range: write it as an IPv4 range");
            }
            prefix -= 96;
        }
        return new Network(address.getAddress(), prefix);
    }

    /** Whether {@code address} is one of the trusted proxies. */
    public boolean trusts(InetAddress address) {
        for (Network range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code peer} (an address as the container reports it) is one of the trusted proxies; false if unreadable. */
    public boolean trusts(String peer) {
        Optional<InetAddress> address = IpLiteral.parse(peer);
        return address.isPresent() && trusts(address.get());
    }

    /** Whether no proxy is trusted. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    @Override
    public String toString() {
        return written;
    }
}
