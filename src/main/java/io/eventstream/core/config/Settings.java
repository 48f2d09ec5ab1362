package io.eventstream.core.config;

import io.eventstream.core.net.TrustedProxies;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * The hub's configuration: every {@code eventstream.*} key, read once from MicroProfile Config.
 *
 * <p>Each default is written once, in {@code META-INF/microprofile-config.properties}; a key without a default
 * there is optional. Any key can be overridden by a system property or an environment variable, as MicroProfile
 * Config does. A value that cannot be read fails the deployment with a message naming the key. The README's
 * table lists the same keys ({@code SettingsDocumentationTest} keeps them in step).
 */
@ApplicationScoped
public class Settings {

    /** Where the defaults are, on the class path. */
    public static final String DEFAULTS = "META-INF/microprofile-config.properties";
    private static final String PREFIX = "eventstream.";
    private static final Pattern ENDPOINT_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    @Inject
    Config config;

    private Function<String, Optional<String>> lookup;

    private String broker;
    private Optional<String> brokerUrl;
    private Optional<String> brokerUser;
    private Optional<String> brokerDataDir;
    private boolean brokerJournalSync;
    private Duration brokerJournalSyncInterval;
    private int brokerEventsPerMessage;
    private Optional<String> brokerPassword;
    private String brokerConnectionFactory;
    private String brokerTopicLookup;
    private String topic;
    private Duration keepAlive;
    private Duration retry;
    private int maxChannelsPerConnection;
    private Optional<String> publishToken;
    private Optional<String> metricsToken;
    private Optional<String> adminToken;
    private int maxEventBytes;
    private int maxBatch;
    private int maxBatchBytes;
    private int clientBuffer;
    private Duration clientWriteTimeout;
    private int historySize;
    private Duration historyMaxAge;
    private int historyTotal;
    private boolean historyDurable;
    private Optional<String> jwtKey;
    private Optional<String> publicChannels;
    private Optional<String> presenceEvents;
    private boolean allowAllPattern;
    private boolean allowQueryToken;
    private int maxConnections;
    private int maxConnectionsPerUser;
    private int maxConnectionsPerIp;
    private TrustedProxies trustedProxies;
    private int publishRate;
    private Optional<String> corsOrigins;
    private boolean demo;
    private boolean endpoints;
    private String path;

    /** For CDI: the values come from MicroProfile Config. */
    public Settings() {
    }

    Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
        read();
    }

    /** Settings from the defaults file with {@code overrides} on top (keys with or without {@code eventstream.}): for tests and tools. */
    public static Settings of(Map<String, String> overrides) {
        Properties defaults = defaults();
        return new Settings(name -> {
            String value = overrides.containsKey(name) ? overrides.get(name) : overrides.get(name.substring(PREFIX.length()));
            return Optional.ofNullable(value != null ? value : defaults.getProperty(name));
        });
    }

    /** Settings read from {@code config}, outside CDI: for what runs before the beans exist (registering endpoints). */
    public static Settings of(Config config) {
        return new Settings(name -> config.getOptionalValue(name, String.class));
    }

    /** The defaults file as shipped. */
    public static Properties defaults() {
        Properties defaults = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the class path");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }

    @PostConstruct
    void load() {
        lookup = name -> config.getOptionalValue(name, String.class);
        read();
    }

    private void read() {
        broker = text("broker");
        brokerUrl = optional("broker.url");
        brokerUser = optional("broker.user");
        brokerDataDir = optional("broker.data-dir");
        brokerJournalSync = flag("broker.journal-sync");
        brokerJournalSyncInterval = duration("broker.journal-sync-interval");
        brokerEventsPerMessage = count("broker.events-per-message");
        if (brokerEventsPerMessage < 1) {
            throw new IllegalArgumentException(PREFIX + "broker.events-per-message must be 1 or more (1: a broker message"
                    + " per event), not " + brokerEventsPerMessage);
        }
        brokerPassword = optional("broker.password");
        brokerConnectionFactory = text("broker.connection-factory");
        brokerTopicLookup = text("broker.topic-lookup");
        topic = text("topic");
        keepAlive = duration("keepalive");
        retry = duration("retry");
        maxChannelsPerConnection = count("channels.max-per-connection");
        publishToken = optional("publish.token");
        metricsToken = optional("metrics.token");
        adminToken = optional("admin.token");
        maxEventBytes = count("event.max-bytes");
        maxBatch = count("publish.max-batch");
        maxBatchBytes = count("publish.max-batch-bytes");
        clientBuffer = count("client.buffer");
        clientWriteTimeout = duration("client.write-timeout");
        historySize = count("history.size");
        historyMaxAge = duration("history.max-age");
        historyTotal = count("history.total");
        // The server's own broker (container) keeps no event log the hub can read: its history is in memory.
        historyDurable = flag("history.durable") && !broker.equals("container");
        jwtKey = optional("subscribe.jwt.key");
        publicChannels = optional("channels.public");
        presenceEvents = optional("presence.events");
        allowAllPattern = flag("channels.allow-all-pattern");
        allowQueryToken = flag("subscribe.allow-query-token");
        maxConnections = count("connections.max");
        maxConnectionsPerUser = count("connections.max-per-user");
        maxConnectionsPerIp = count("connections.max-per-ip");
        trustedProxies = proxies("proxies.trusted");
        publishRate = count("publish.rate");
        corsOrigins = optional("cors.origins");
        demo = flag("demo");
        endpoints = flag("endpoints");
        path = endpointPath("path");
    }

    // An optional key: blank counts as unset, so that EVENTSTREAM_PUBLISH_TOKEN= turns a feature off.
    private Optional<String> optional(String key) {
        return lookup.apply(PREFIX + key).filter(value -> !value.isBlank());
    }

    private String text(String key) {
        return optional(key).orElseThrow(() -> new IllegalStateException(PREFIX + key
                + " has no value: its default belongs in " + DEFAULTS));
    }

    private Duration duration(String key) {
        String value = text(key);
        try {
            Duration duration = Duration.parse(value);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(PREFIX + key + " must not be negative, not " + value);
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be an ISO-8601 duration such as PT15S, not '" + value + "'");
        }
    }

    private int count(String key) {
        String value = text(key);
        try {
            int count = Integer.parseInt(value.trim());
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a whole number of 0 or more, not '" + value + "'");
        }
    }

    // "/" (the context root) or "/name" with more segments: letters, digits and - . _ ~; no trailing slash.
    private String endpointPath(String key) {
        String value = text(key).trim();
        if (!value.equals("/") && !ENDPOINT_PATH.matcher(value).matches()) {
            throw new IllegalArgumentException(PREFIX + key + " must be / or a path such as /eventstream or /api/sse"
                    + " (letters, digits, - . _ ~; no trailing slash, no wildcard), not '" + value + "'");
        }
        return value.equals("/") ? "" : value;
    }

    private TrustedProxies proxies(String key) {
        try {
            return TrustedProxies.parse(optional(key).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + key + " must list IP addresses and CIDR ranges, comma-separated: " + e.getMessage());
        }
    }

    private boolean flag(String key) {
        String value = text(key).trim();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(PREFIX + key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** {@code eventstream.broker.connection-factory}: the JNDI name of the server's connection factory (container). */
    public String brokerConnectionFactory() {
        return brokerConnectionFactory;
    }

    /** {@code eventstream.broker.topic-lookup}: the JNDI name of the server's topic (container). */
    public String brokerTopicLookup() {
        return brokerTopicLookup;
    }

    /** {@code eventstream.broker}: {@code embedded}, {@code artemis} or {@code container}. */
    public String broker() {
        return broker;
    }

    /** {@code eventstream.broker.url}: the remote broker's Artemis URL. */
    public Optional<String> brokerUrl() {
        return brokerUrl;
    }

    /** {@code eventstream.broker.user}. */
    public Optional<String> brokerUser() {
        return brokerUser;
    }

    /**
     * {@code eventstream.broker.data-dir}: where the embedded broker keeps its journal (the event log); when unset,
     * the broker adapter picks a directory that survives a restart.
     */
    public Optional<String> brokerDataDir() {
        return brokerDataDir;
    }

    /**
     * {@code eventstream.broker.journal-sync}: whether the embedded broker confirms a publish only once its journal is
     * on disk (fsync, shared by concurrent publishes), rather than once it is written to the file (which survives the
     * process being killed; the file is then synced every {@link #brokerJournalSyncInterval}).
     */
    public boolean brokerJournalSync() {
        return brokerJournalSync;
    }

    /**
     * {@code eventstream.broker.journal-sync-interval}: without {@code journal-sync}, how often the embedded broker's
     * journal is synced to disk, so a machine failure loses at most this long's acknowledged events; zero leaves it to
     * the operating system.
     */
    public Duration brokerJournalSyncInterval() {
        return brokerJournalSyncInterval;
    }

    /**
     * {@code eventstream.broker.events-per-message}: most events one broker message carries, when they were published
     * together or while the broker confirmed the messages before; 1: a message per event, the format nodes before it
     * read.
     */
    public int brokerEventsPerMessage() {
        return brokerEventsPerMessage;
    }

    /** {@code eventstream.broker.password}. */
    public Optional<String> brokerPassword() {
        return brokerPassword;
    }

    /** {@code eventstream.topic}: the JMS topic's name. */
    public String topic() {
        return topic;
    }

    /** {@code eventstream.keepalive}: the longest silence on a stream. */
    public Duration keepAlive() {
        return keepAlive;
    }

    /** {@code eventstream.retry}: the {@code retry:} sent to clients. */
    public Duration retry() {
        return retry;
    }

    /** {@code eventstream.channels.max-per-connection}. */
    public int maxChannelsPerConnection() {
        return maxChannelsPerConnection;
    }

    /** {@code eventstream.publish.token}: HTTP publishing's shared bearer token; empty: off. */
    public Optional<String> publishToken() {
        return publishToken;
    }

    /** {@code eventstream.metrics.token}: the bearer token {@code GET /metrics} asks for; empty: metrics are open. */
    public Optional<String> metricsToken() {
        return metricsToken;
    }

    /** {@code eventstream.admin.token}: what the admin page's login asks for; empty: the admin page is off. */
    public Optional<String> adminToken() {
        return adminToken;
    }

    /** {@code eventstream.event.max-bytes}: the largest event data. */
    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** {@code eventstream.publish.max-batch}: the most events one batch publish may carry. */
    public int maxBatch() {
        return maxBatch;
    }

    /** {@code eventstream.publish.max-batch-bytes}: the largest body of an HTTP batch publish. */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** {@code eventstream.client.buffer}: events waiting for one client before it is cut off. */
    public int clientBuffer() {
        return clientBuffer;
    }

    /** {@code eventstream.client.write-timeout}: how long a connection may refuse bytes. */
    public Duration clientWriteTimeout() {
        return clientWriteTimeout;
    }

    /** {@code eventstream.history.size}: events retained per channel. */
    public int historySize() {
        return historySize;
    }

    /** {@code eventstream.history.max-age}. */
    public Duration historyMaxAge() {
        return historyMaxAge;
    }

    /** {@code eventstream.history.total}: events retained on the node over all channels. */
    public int historyTotal() {
        return historyTotal;
    }

    /**
     * {@code eventstream.history.durable}: whether events are kept in the broker's event log, so that resumes survive
     * restarts of nodes and broker; false keeps history in memory only.
     */
    public boolean historyDurable() {
        return historyDurable;
    }

    /** {@code eventstream.subscribe.jwt.key}: the key subscriber tokens are verified with. */
    public Optional<String> jwtKey() {
        return jwtKey;
    }

    /** {@code eventstream.channels.public}: channels anyone may read when tokens are required. */
    public Optional<String> publicChannels() {
        return publicChannels;
    }

    /**
     * {@code eventstream.presence.events}: channels (names and {@code prefix*} patterns) that get {@code presence-join}
     * and {@code presence-leave} events; empty: none.
     */
    public Optional<String> presenceEvents() {
        return presenceEvents;
    }

    /** {@code eventstream.channels.allow-all-pattern}: whether a stream may subscribe to {@code *}, every channel. */
    public boolean allowAllPattern() {
        return allowAllPattern;
    }

    /** {@code eventstream.subscribe.allow-query-token}. */
    public boolean allowQueryToken() {
        return allowQueryToken;
    }

    /** {@code eventstream.connections.max}: streams per node. */
    public int maxConnections() {
        return maxConnections;
    }

    /** {@code eventstream.connections.max-per-user}: streams per user and node. */
    public int maxConnectionsPerUser() {
        return maxConnectionsPerUser;
    }

    /** {@code eventstream.connections.max-per-ip}: anonymous streams per client address and node; 0: no limit. */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    /**
     * {@code eventstream.proxies.trusted}: the proxies (addresses and CIDR ranges, comma-separated) whose
     * {@code X-Forwarded-For} is believed; unset: nobody's.
     */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** {@code eventstream.publish.rate}: events per second one HTTP publisher may publish, in bursts of as many; 0: no limit. */
    public int publishRate() {
        return publishRate;
    }

    /** {@code eventstream.cors.origins}: origins allowed across origins. */
    public Optional<String> corsOrigins() {
        return corsOrigins;
    }

    /** {@code eventstream.endpoints}: whether this application serves the hub's HTTP endpoints (false: publish only). */
    public boolean endpoints() {
        return endpoints;
    }

    /**
     * {@code eventstream.path}: where below the context root the endpoints are, e.g. {@code /eventstream}; the empty
     * string for the context root itself ({@code /}).
     */
    public String path() {
        return path;
    }

    /** {@code eventstream.demo}: whether the demo page and the example streams are served. */
    public boolean demo() {
        return demo;
    }
}
