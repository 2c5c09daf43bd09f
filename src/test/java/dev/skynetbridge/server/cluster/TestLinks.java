package dev.skynetbridge.server.cluster;

import dev.skynetbridge.server.SkynetHub;
import java.nio.file.Path;
import java.util.List;

/** A started cluster link of the tests: one NATS URL, the default prefix, a 1 MiB buffer, no credentials. */
final class TestLinks {

    private TestLinks() {
    }

    static ClusterLink started(String natsUrl, String node, SkynetHub hub) {
        ClusterLink link = new ClusterLink(new ClusterOptions(List.of(natsUrl), node, "skynet", 1 << 20, (Path) null),
                hub);
        link.start();
        return link;
    }
}
