package dev.skynetbridge.bench;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.server.acl.AccessFile;
import dev.skynetbridge.server.acl.AccessPolicy;
import dev.skynetbridge.server.acl.TokenRules;
import java.nio.file.Path;

/**
 * The cost of the per-message access checks alone, on the access control benchmark's file: one
 * write check for the publisher and one wildcard check for a {@code "*"} listener, in a loop.
 *
 * <pre>java -cp bench/target/skynet-bridge-bench.jar dev.skynetbridge.bench.AclCheckCost acl.yaml [channel 1000]</pre>
 */
public final class AclCheckCost {

    private AclCheckCost() {
    }

    public static void main(String[] args) {
        AccessPolicy policy = AccessFile.load(Path.of(args[0]));
        Channel channel = Channel.of(args.length > 1 ? Long.parseLong(args[1]) : 1000);
        TokenRules publisher = policy.token("bench-pub").rules();
        TokenRules listener = policy.token("bench-sub").rules();
        long granted = 0;
        int checks = 20_000_000;
        for (int round = 1; round <= 5; round++) { // the first rounds run before the JIT has compiled the loop
            long start = System.nanoTime();
            for (int i = 0; i < checks; i++) {
                if (publisher.send(channel).granted()) {
                    granted++;
                }
                if (listener.receivesAsWildcard(channel)) {
                    granted++;
                }
            }
            System.out.printf("round %d: %.1f ns per message (a write check and a wildcard check)%n", round,
                    (System.nanoTime() - start) / (double) checks);
        }
        System.out.println("checks granted: " + granted);
    }
}
