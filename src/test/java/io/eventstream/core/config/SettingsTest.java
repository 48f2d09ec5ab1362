package io.eventstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** The configuration as the hub reads it: defaults written once, overrides, and values it refuses, naming the key. */
class SettingsTest {

    private static final Properties DEFAULTS = Settings.defaults();

    private static String shipped(String key) {
        String value = DEFAULTS.getProperty("eventstream." + key);
        assertTrue(value != null, "eventstream." + key + " has no default in " + Settings.DEFAULTS);
        return value;
    }

    private static RuntimeException refused(String key, String value) {
        return assertThrows(RuntimeException.class, () -> Settings.of(Map.of(key, value)), key + "=" + value);
    }

    @Test
    void theDefaultsAreThoseOfTheDefaultsFile() {
        Settings settings = Settings.of(Map.of());
        assertEquals(shipped("broker"), settings.broker());
        assertEquals(shipped("topic"), settings.topic());
        assertEquals(Duration.parse(shipped("keepalive")), settings.keepAlive());
        assertEquals(Duration.parse(shipped("retry")), settings.retry());
        assertEquals(Integer.parseInt(shipped("channels.max-per-connection")), settings.maxChannelsPerConnection());
        assertEquals(Integer.parseInt(shipped("event.max-bytes")), settings.maxEventBytes());
        assertEquals(Integer.parseInt(shipped("client.buffer")), settings.clientBuffer());
        assertEquals(Duration.parse(shipped("client.write-timeout")), settings.clientWriteTimeout());
        assertEquals(Integer.parseInt(shipped("history.size")), settings.historySize());
        assertEquals(Duration.parse(shipped("history.max-age")), settings.historyMaxAge());
        assertEquals(Integer.parseInt(shipped("history.total")), settings.historyTotal());
        assertEquals(Boolean.parseBoolean(shipped("subscribe.allow-query-token")), settings.allowQueryToken());
        assertEquals(Integer.parseInt(shipped("connections.max")), settings.maxConnections());
        assertEquals(Integer.parseInt(shipped("connections.max-per-user")), settings.maxConnectionsPerUser());
        assertEquals(Integer.parseInt(shipped("connections.max-per-ip")), settings.maxConnectionsPerIp());
        assertEquals(Integer.parseInt(shipped("publish.rate")), settings.publishRate());
        assertTrue(settings.trustedProxies().isEmpty(), "no proxy is trusted unless configured");
        assertEquals(Boolean.parseBoolean(shipped("demo")), settings.demo());
        // The shipped values the README promises.
        assertEquals("embedded", settings.broker());
        assertEquals(Duration.ofSeconds(15), settings.keepAlive());
        assertFalse(settings.allowQueryToken());
        assertFalse(settings.demo());
    }

    @Test
    void theServersOwnBrokerKeepsHistoryInMemoryWhateverHistoryDurableSays() {
        assertTrue(Settings.of(Map.of("broker", "embedded", "history.durable", "true")).historyDurable());
        assertFalse(Settings.of(Map.of("broker", "container", "history.durable", "true")).historyDurable());
    }

    @Test
    void thePathIsTheContextRootOrAPathWithoutTrailingSlash() {
        assertEquals("", Settings.of(Map.of("path", "/")).path());
        assertEquals("/api/sse", Settings.of(Map.of("path", "/api/sse")).path());
        for (String bad : List.of("", "eventstream", "/eventstream/", "/events/*", "/a b", "//x")) {
            RuntimeException refused = assertThrows(RuntimeException.class,
                    () -> Settings.of(Map.of("path", bad)), bad);
            assertTrue(refused.getMessage().contains("eventstream.path"), refused.getMessage());
        }
    }

    @Test
    void keysWithoutADefaultAreUnset() {
        Settings settings = Settings.of(Map.of());
        List<Optional<String>> optional = List.of(settings.brokerUrl(), settings.brokerUser(), settings.brokerPassword(),
                settings.publishToken(), settings.jwtKey(), settings.publicChannels(), settings.corsOrigins());
        assertEquals(Collections.nCopies(optional.size(), Optional.empty()), optional);
    }

    @Test
    void anOverrideWinsWithOrWithoutThePrefix() {
        Settings settings = Settings.of(Map.of("keepalive", "PT5S", "eventstream.connections.max", "7",
                "publish.token", "s3cret", "subscribe.allow-query-token", "TRUE"));
        assertEquals(Duration.ofSeconds(5), settings.keepAlive());
        assertEquals(7, settings.maxConnections());
        assertEquals(Optional.of("s3cret"), settings.publishToken());
        assertTrue(settings.allowQueryToken());
        assertEquals(Duration.parse(shipped("retry")), settings.retry(), "the keys not overridden keep their default");

        Map<String, String> both = new HashMap<>();
        both.put("eventstream.topic", "full");
        both.put("topic", "short");
        assertEquals("full", Settings.of(both).topic());
    }

    @Test
    void aBlankOptionalValueCountsAsUnset() {
        Settings settings = Settings.of(Map.of("publish.token", "", "subscribe.jwt.key", "   ", "cors.origins", "\t"));
        assertEquals(Optional.empty(), settings.publishToken());
        assertEquals(Optional.empty(), settings.jwtKey());
        assertEquals(Optional.empty(), settings.corsOrigins());
    }

    @Test
    void aMalformedValueFailsNamingTheFullKey() {
        Map<String, String> malformed = Map.of(
                "keepalive", "15s",
                "client.write-timeout", "PT-1S",
                "connections.max", "ten",
                "connections.max-per-user", "-1",
                "history.size", "1.5",
                "subscribe.allow-query-token", "yes",
                "demo", "1",
                "connections.max-per-ip", "-5",
                "publish.rate", "fast",
                "proxies.trusted", "proxy.example");
        malformed.forEach((key, value) -> {
            String message = refused(key, value).getMessage();
            assertTrue(message.contains("eventstream." + key + " "), message);
            assertTrue(message.contains(value), "the message shows the value: " + message);
        });
        assertTrue(refused("retry", "3").getMessage().contains("ISO-8601 duration such as PT15S"));
    }

    @Test
    void aBlankRequiredValueFailsNamingTheKey() {
        String message = refused("topic", " ").getMessage();
        assertTrue(message.startsWith("eventstream.topic "), message);
    }

    @Test
    void numbersAndFlagsMayBeSurroundedBySpaces() {
        Settings settings = Settings.of(Map.of("connections.max", " 12 ", "demo", " true "));
        assertEquals(12, settings.maxConnections());
        assertTrue(settings.demo());
    }

    @Test
    void underCdiTheValuesComeFromMicroProfileConfig() {
        Map<String, String> config = new HashMap<>();
        DEFAULTS.stringPropertyNames().forEach(name -> config.put(name, DEFAULTS.getProperty(name)));
        config.put("eventstream.keepalive", "PT1M");
        config.put("eventstream.publish.token", "from-the-environment");
        Settings settings = new Settings();
        settings.config = (Config) Proxy.newProxyInstance(SettingsTest.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getOptionalValue") && args[1] == String.class) {
                        return Optional.ofNullable(config.get((String) args[0]));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        settings.load();
        assertEquals(Duration.ofMinutes(1), settings.keepAlive());
        assertEquals(Optional.of("from-the-environment"), settings.publishToken());
        assertEquals(shipped("topic"), settings.topic());
    }
}
