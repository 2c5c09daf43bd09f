package dev.skynetbridge.client;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared {@link SkynetClient} per server address and protocol, reference counted: every
 * endpoint that names the same server uses the same websocket, so delivery order per
 * connection holds across the routes that share it.
 */
public final class SkynetClientPool {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetClientPool.class);

    private record Key(String uri, ProtocolVersion protocol) {
    }

    private static final class Entry {
        final SkynetClient client;
        int users;

        Entry(SkynetClient client) {
            this.client = client;
        }
    }

    private final Vertx vertx;
    private final Map<Key, Entry> clients = new HashMap<>();

    public SkynetClientPool(Vertx vertx) {
        this.vertx = vertx;
    }

    public synchronized SkynetClient acquire(ClientOptions options) {
        Key key = new Key(options.uri().toString(), options.protocol());
        Entry entry = clients.get(key);
        if (entry == null) {
            entry = new Entry(new SkynetClient(vertx, options));
            clients.put(key, entry);
            entry.client.start();
        } else if (!entry.client.options().equals(options)) {
            LOG.warn("Endpoints for {} ask for different connection settings; the first ones ({}) are used",
                    options.describe(), entry.client.options());
        }
        entry.users++;
        return entry.client;
    }

    public synchronized void release(SkynetClient client) {
        Key key = new Key(client.options().uri().toString(), client.options().protocol());
        Entry entry = clients.get(key);
        if (entry != null && entry.client == client && --entry.users == 0) {
            clients.remove(key);
            client.stop();
        }
    }

    public synchronized java.util.List<SkynetClient> clients() {
        return clients.values().stream().map(entry -> entry.client).toList();
    }

    public synchronized void closeAll() {
        clients.values().forEach(entry -> entry.client.stop());
        clients.clear();
    }
}
