package io.eventstream.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a program from Debian's packages (Chromium, nginx) skip themselves on a machine without
 * it, except in CI: {@code .ci/run} installs them and sets {@code EVENTSTREAM_CI}, so a missing one fails.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    public static void require(boolean installed, String what) {
        String hint = what + " is not installed (.ci/run installs it: apt-get install " + what + ")";
        if (System.getenv("EVENTSTREAM_CI") != null) {
            assertTrue(installed, hint);
        }
        Assumptions.assumeTrue(installed, hint);
    }
}
