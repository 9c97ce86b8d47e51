package dev.finitomata.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.internal.runtime.FsmSettings;
import dev.finitomata.internal.runtime.TypePins;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Nodes that run a supervisor id for the first time at the same moment race to pin its type name in PostgreSQL: one
 * write wins, the others fail on the journal's primary key, and every node ends up with the winner's name, without
 * an ERROR in the log (the race is expected, not a failure).
 */
class TypePinRaceTest {

    /** Two behavior classes, as two nodes running different code for the same supervisor id. */
    static final class OrderFsm {
    }

    static final class PurchaseFsm {
    }

    @Test
    void racingNodesAllReadTheOneNameThatWon() throws Exception {
        EmbeddedPg pg = EmbeddedPg.shared();
        Config config = ConfigFactory.parseString("pekko.loglevel = INFO").withFallback(
                pg.config(pg.freshDatabase("pins")));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        List<ActorSystem<Void>> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                nodes.add(ActorSystem.create(Behaviors.empty(), "node-" + i, config));
            }
            for (int round = 0; round < 10; round++) {
                String id = "orders-" + round;
                List<CompletableFuture<String>> pins = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    ActorSystem<Void> node = nodes.get(i);
                    pins.add(TypePins.resolve(node, FsmSettings.from(node.settings().config()), id,
                            i % 2 == 0 ? OrderFsm.class : PurchaseFsm.class).toCompletableFuture());
                }
                Set<String> names = new HashSet<>();
                for (CompletableFuture<String> pin : pins) {
                    names.add(pin.get(30, TimeUnit.SECONDS));
                }
                assertEquals(1, names.size(), "round " + round + ": every node reads one pinned name: " + names);
                // and a node that comes later reads it too
                assertEquals(names, Set.of(TypePins.resolve(nodes.get(0), FsmSettings.from(nodes.get(0).settings().config()), id,
                        PurchaseFsm.class).toCompletableFuture().get(30, TimeUnit.SECONDS)));
            }
        } finally {
            for (ActorSystem<Void> node : nodes) {
                node.terminate();
                node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            root.detachAppender(log);
        }
        assertEquals(List.of(), log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(ILoggingEvent::getFormattedMessage).toList());
    }
}
