package dev.skynetbridge.testsupport;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need an installed program (mosquitto, nats-server, chromium): skipped on a developer machine without
 * it, failed under CI (CI=true), where .ci/run installs it, so a skip there cannot hide a broken set-up.
 */
public final class RequiredTool {

    private RequiredTool() {
    }

    /** @param what the program(s), as the messages name them; {@code pkg} the Debian package(s) .ci/run installs */
    public static void assumeInstalled(boolean installed, String what, String pkg) {
        if (System.getenv("CI") != null && !installed) {
            throw new AssertionError(what + " is missing under CI: .ci/run installs " + pkg + "; these tests must run");
        }
        Assumptions.assumeTrue(installed, what + " is not installed");
    }
}
