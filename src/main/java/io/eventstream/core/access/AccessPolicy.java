package io.eventstream.core.access;

import io.eventstream.api.ChannelAuthorizer;
import io.eventstream.api.Refusal;
import io.eventstream.core.event.ChannelPattern;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The one place that decides who may read and who may publish.
 *
 * <p>Reading: with {@code eventstream.subscribe.jwt.key} set, a channel needs a grant in the reader's token unless
 * it is public; and a {@link ChannelAuthorizer} bean, if the application has one, must agree. With neither, every
 * channel is open. Publishing over HTTP: the shared {@code eventstream.publish.token}, or a subscriber token whose
 * {@code publish} claim grants the channel.
 */
@ApplicationScoped
public class AccessPolicy {

    private static final Logger LOG = Logger.getLogger(AccessPolicy.class.getName());
    /** The publisher who holds the shared {@code eventstream.publish.token}: all of them are one, for the rate. */
    public static final String SHARED_PUBLISHER = "the shared eventstream.publish.token";

    @Inject
    Settings settings;

    @Inject
    Instance<ChannelAuthorizer> authorizers;

    private Optional<ChannelAuthorizer> authorizer; // empty: none, every channel is the authorizer's to allow
    private boolean ambiguous;
    private TokenVerifier verifier;
    private ChannelPatterns open;
    private String misconfigured;
    private byte[] publishToken; // null: the shared publish token is off
    private boolean allowQueryToken;

    /** For CDI. */
    public AccessPolicy() {
    }

    /** A policy outside CDI (tests, tools): {@code authorizers} are the application's beans, normally zero or one. */
    public AccessPolicy(Settings settings, List<ChannelAuthorizer> authorizers, Clock clock) {
        this.settings = settings;
        configure(authorizers.size() == 1 ? authorizers.get(0) : null, authorizers.size() > 1, clock);
    }

    @PostConstruct
    void configure() {
        boolean several = authorizers.isAmbiguous();
        // Resolved once: a @Dependent authorizer must not be created per check.
        configure(!several && authorizers.isResolvable() ? authorizers.get() : null, several, Clock.systemUTC());
    }

    private void configure(ChannelAuthorizer found, boolean several, Clock clock) {
        open = ChannelPatterns.parse(settings.publicChannels().orElse(null));
        allowQueryToken = settings.allowQueryToken();
        publishToken = settings.publishToken().map(token -> token.getBytes(StandardCharsets.UTF_8)).orElse(null);
        settings.jwtKey().ifPresent(key -> {
            try {
                verifier = new TokenVerifier(key, clock);
            } catch (IllegalArgumentException e) {
                // Fail closed: a key was meant to protect channels, so nothing but public channels is served.
                misconfigured = e.getMessage();
                LOG.severe(() -> "eventstream: " + misconfigured + "; only eventstream.channels.public can be read");
            }
        });
        ambiguous = several;
        if (ambiguous) {
            // Fail closed: which one would be right is not ours to guess.
            LOG.severe("eventstream: more than one ChannelAuthorizer bean, so no channel can be read: keep one, "
                    + "or give one @Alternative @Priority");
        }
        authorizer = Optional.ofNullable(found);
    }

    /** Whether subscribers need a token for channels that are not public. */
    public boolean tokensRequired() {
        return verifier != null || misconfigured != null;
    }

    /**
     * Who is asking, from their token (bearer header, cookie or, when allowed, query parameter) or the container's
     * authentication; {@code unauthorized} for a token that does not verify, {@code bad-request} for a token in the
     * URL when that is off.
     */
    public Caller identify(Principal principal, String authorization, String cookie, String queryToken) {
        String presented = BearerToken.from(authorization).orElse(cookie);
        if (presented == null && queryToken != null) {
            if (!allowQueryToken) {
                throw new EventStreamException(Refusal.BAD_REQUEST, "tokens in the URL are off (they end up in logs): "
                        + "send the cookie 'eventstream-token' or an Authorization header, or set "
                        + "eventstream.subscribe.allow-query-token=true");
            }
            presented = queryToken;
        }
        String user = principal == null ? null : principal.getName();
        if (presented == null || presented.isBlank()) {
            return new Caller(user, null);
        }
        if (verifier == null) {
            if (misconfigured != null) {
                throw new EventStreamException(Refusal.UNAUTHORIZED,
                        "subscriber tokens cannot be verified: the server's key is misconfigured (eventstream.subscribe.jwt.key)");
            }
            return new Caller(user, null); // no key: tokens mean nothing here (the header may be for someone else)
        }
        SubscriberToken token = verifier.verify(presented);
        return new Caller(token.user() != null ? token.user() : user, token);
    }

    /** Throws {@code forbidden} naming the channels {@code who} may not read, if any. */
    public void requireReadable(Caller who, List<String> channels) {
        List<String> refused = channels.stream().filter(channel -> !canRead(who, channel)).toList();
        if (!refused.isEmpty()) {
            throw new EventStreamException(Refusal.FORBIDDEN, "not allowed to read " + String.join(", ", refused)
                    + (who.token() == null && tokensRequired() ? " without a subscriber token" : ""));
        }
    }

    /**
     * Whether {@code who} may read {@code channel} now; for a pattern ({@link ChannelPattern}), whether they may read
     * every channel it can match: public channels or the token must grant a pattern that covers it, and the
     * application's {@link ChannelAuthorizer#canReadPattern} must agree.
     */
    public boolean canRead(Caller who, String channel) {
        if (ChannelPattern.isPattern(channel)) {
            return canReadPattern(who, channel);
        }
        if (tokensRequired() && !open.matches(channel)
                && (who.token() == null || !who.token().read().matches(channel))) {
            return false;
        }
        if (ambiguous) {
            return false;
        }
        return authorizer.map(bean -> bean.canRead(who.user(), channel)).orElse(true);
    }

    private boolean canReadPattern(Caller who, String pattern) {
        if (tokensRequired() && !open.covers(pattern) && (who.token() == null || !who.token().read().covers(pattern))) {
            return false;
        }
        if (ambiguous) {
            return false;
        }
        return authorizer.map(bean -> bean.canReadPattern(who.user(), pattern)).orElse(true);
    }

    /**
     * Throws unless the {@code Authorization} header of an HTTP publish allows publishing to {@code channel}: the
     * shared {@code eventstream.publish.token}, or a subscriber token granting the channel in its {@code publish}
     * claim. {@code forbidden} when HTTP publishing is off (neither a shared token nor a key for signed tokens),
     * {@code unauthorized} otherwise.
     *
     * @return who publishes, for {@code eventstream.publish.rate}: {@link #SHARED_PUBLISHER} for the shared token, the
     *         signed token's subject, or for a signed token without one a name made of its digest (never the token)
     */
    public String requirePublishable(String authorization, String channel) {
        Optional<String> bearer = BearerToken.from(authorization);
        if (bearer.isPresent()) {
            if (isPublishToken(bearer.get())) {
                return SHARED_PUBLISHER;
            }
            String signed = signedPublisher(bearer.get(), channel);
            if (signed != null) {
                return signed;
            }
        }
        if (publishToken == null && verifier == null) {
            throw new EventStreamException(Refusal.FORBIDDEN, "HTTP publishing is off: set eventstream.publish.token, "
                    + "or eventstream.subscribe.jwt.key for tokens with a 'publish' claim");
        }
        String grant = "a signed token whose 'publish' claim grants '" + channel + "'";
        String accepted = publishToken == null ? grant
                : verifier == null ? "eventstream.publish.token" : "eventstream.publish.token, or " + grant;
        throw new EventStreamException(Refusal.UNAUTHORIZED, "send 'Authorization: Bearer <token>' with " + accepted);
    }

    // Constant time: the comparison must not tell an attacker how much of the token was right.
    private boolean isPublishToken(String presented) {
        return publishToken != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), publishToken);
    }

    // The publisher a signed token names when it grants publishing to the channel, else null.
    private String signedPublisher(String presented, String channel) {
        if (verifier == null) {
            return null;
        }
        SubscriberToken token;
        try {
            token = verifier.verify(presented);
        } catch (EventStreamException e) {
            return null; // not one of our tokens: the answer is the shared token's
        }
        if (!token.publish().matches(channel)) {
            return null;
        }
        return token.user() != null ? token.user() : "token sha256:" + digest(presented);
    }

    // The first 8 bytes of the token's SHA-256, in hex: names a token without a subject, in log lines too, without
    // revealing it.
    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
