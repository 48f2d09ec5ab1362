package io.eventstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table, the defaults file and {@link Settings} name the same keys with the same
 * defaults: a key cannot be added, dropped or given a new default in one place only.
 */
class SettingsDocumentationTest {

    // | `eventstream.some.key` | `default` or — | meaning |
    private static final Pattern ROW = Pattern.compile("^\\| `(eventstream\\.[a-z.-]+)` \\| (`([^`]*)`|—) \\|", Pattern.MULTILINE);

    /** Key to default ("" for none) as the README's table states them. */
    private static TreeMap<String, String> documented() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## Deployment"));
        TreeMap<String, String> keys = new TreeMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            keys.put(row.group(1), row.group(3) == null ? "" : row.group(3));
        }
        return keys;
    }

    /** Every key Settings reads, with the default it gets from the shipped file ("" for none). */
    private static TreeMap<String, String> read() {
        Properties defaults = Settings.defaults();
        TreeMap<String, String> keys = new TreeMap<>();
        new Settings(name -> {
            keys.put(name, defaults.getProperty(name, ""));
            return Optional.ofNullable(defaults.getProperty(name));
        });
        return keys;
    }

    @Test
    void theReadmeDocumentsEveryKeySettingsReadsWithItsShippedDefault() throws IOException {
        assertEquals(read(), documented());
    }

    @Test
    void theDefaultsFileHoldsNoKeyThatSettingsDoesNotRead() {
        Set<String> shipped = new TreeSet<>(Settings.defaults().stringPropertyNames());
        shipped.removeAll(read().keySet());
        shipped.remove("config_ordinal"); // MicroProfile Config's own: the defaults rank below an application's file
        assertEquals(Set.of(), shipped);
    }
}
