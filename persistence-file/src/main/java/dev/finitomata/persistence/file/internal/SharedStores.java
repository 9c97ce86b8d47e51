package dev.finitomata.persistence.file.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * INTERNAL API. One {@link FileStore} per directory per JVM, shared by every journal plugin instance (every
 * ActorSystem) of the JVM that names the directory, and closed when the last one releases it. A store owns its
 * directory's OS lock, so another process pointing at the same directory still fails fast.
 */
final class SharedStores {

    private static final Map<Path, FileStore> STORES = new HashMap<>();
    private static final Map<Path, Integer> USERS = new HashMap<>();

    private SharedStores() {
    }

    static synchronized FileStore acquire(Path dir, FileStore.Settings settings) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        FileStore store = STORES.get(key);
        if (store == null) {
            store = FileStore.open(key, settings);
            STORES.put(key, store);
        }
        USERS.merge(key, 1, Integer::sum);
        return store;
    }

    static synchronized void release(FileStore store) throws IOException {
        for (Map.Entry<Path, FileStore> entry : STORES.entrySet()) {
            if (entry.getValue() == store) {
                Path key = entry.getKey();
                if (USERS.merge(key, -1, Integer::sum) <= 0) {
                    USERS.remove(key);
                    STORES.remove(key);
                    store.close();
                }
                return;
            }
        }
    }
}
