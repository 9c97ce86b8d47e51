package dev.finitomata.persistence.file.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * INTERNAL API. A directory's OS lock shared by the snapshot store instances of one JVM (several ActorSystems of a
 * JVM may share a snapshot directory; another process may not), released with the last of them.
 */
final class SharedLocks {

    private static final Map<Path, DirectoryLock> LOCKS = new HashMap<>();
    private static final Map<Path, Integer> USERS = new HashMap<>();

    /** One holder's share of a lock. */
    static final class Lease implements AutoCloseable {
        private final Path key;
        private boolean closed;

        private Lease(Path key) {
            this.key = key;
        }

        @Override
        public void close() throws IOException {
            synchronized (SharedLocks.class) {
                if (closed) {
                    return;
                }
                closed = true;
                if (USERS.merge(key, -1, Integer::sum) <= 0) {
                    USERS.remove(key);
                    LOCKS.remove(key).close();
                }
            }
        }
    }

    private SharedLocks() {
    }

    static synchronized Lease acquire(Path dir, String setting) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        if (!LOCKS.containsKey(key)) {
            LOCKS.put(key, DirectoryLock.acquire(key, setting));
        }
        USERS.merge(key, 1, Integer::sum);
        return new Lease(key);
    }
}
