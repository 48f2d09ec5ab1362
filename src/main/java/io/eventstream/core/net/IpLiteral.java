package io.eventstream.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an IP address written as a literal ({@code 203.0.113.7}, {@code 2001:db8::1}, {@code ::ffff:10.0.0.1}), and
 * only a literal: never a host name, so that reading what a client sent never starts a DNS lookup.
 *
 * <p>{@link InetAddress#getByName} looks a string up in DNS when it is not a literal it knows, and Java 17 has no
 * literal-only parser ({@code InetAddress.ofLiteral} came in 22). So: a dotted quad is checked here first, and anything
 * else with a colon is handed over in brackets, which the JDK parses as an IPv6 literal or refuses without a lookup.
 * An IPv4-mapped IPv6 address comes back as the IPv4 address (the JDK's choice), so both spellings are one client.
 */
public final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpLiteral() {
    }

    /**
     * The address {@code text} spells, or empty when it is not an IP literal (a host name, a port appended, garbage).
     * An IPv6 zone ({@code fe80::1%eth0}) is dropped: it names the interface, not the client.
     */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String literal = text.trim();
        int zone = literal.indexOf('%');
        if (zone >= 0 && literal.indexOf(':') >= 0) {
            literal = literal.substring(0, zone);
        }
        if (IPV4.matcher(literal).matches()) {
            return lookUpLiteral(literal);
        }
        if (literal.length() <= 45 && IPV6.matcher(literal).matches()) {
            return lookUpLiteral("[" + literal + "]");
        }
        return Optional.empty();
    }

    // Only ever called with a dotted quad or a bracketed IPv6 candidate: the JDK parses both without DNS.
    private static Optional<InetAddress> lookUpLiteral(String literal) {
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty(); // not a valid IPv6 literal
        }
    }
}
