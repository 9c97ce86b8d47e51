package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmFactory;
import dev.finitomata.StartResult;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.persistence.ets.Ets;
import dev.finitomata.persistence.ets.EtsTable;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rename trap, closed: persistence ids carry the type name pinned for the supervisor id when it first ran, so a
 * behavior class renamed between two deployments (two ActorSystems on the same journal files, as a restart of the
 * node) loads every FSM the old class stored, instead of starting them afresh.
 */
class RenamedBehaviorTest {

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> draft : create
            draft --> placed : place
            placed --> [*] : close
            """);

    /** Deployment 1 calls the class {@code OrderFsm}. */
    static final class Before {
        public static final class OrderFsm extends FsmBehavior<Integer> {
            public OrderFsm(FsmContext context) {
                super(context);
            }

            @Override
            protected FsmDefinition definition() {
                return DEFINITION;
            }
        }
    }

    /** Deployment 2 renamed it {@code PurchaseFsm}. */
    static final class After {
        public static final class PurchaseFsm extends FsmBehavior<Integer> {
            public PurchaseFsm(FsmContext context) {
                super(context);
            }

            @Override
            protected FsmDefinition definition() {
                return DEFINITION;
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void aRenamedBehaviorClassLoadsWhatItsOldNameStored() throws Exception {
        deploy(Before.OrderFsm.class, Before.OrderFsm::new, orders -> {
            assertEquals(StartResult.STARTED, await(orders.start("o-1", 7)));
            await(orders.transitionAndWait("o-1", "place", null));
        });
        deploy(After.PurchaseFsm.class, After.PurchaseFsm::new, orders -> {
            assertEquals(StartResult.LOADED, await(orders.start("o-1", 0)));
            assertEquals("placed", await(orders.state("o-1")).orElseThrow().current());
            assertEquals(7, await(orders.state("o-1")).orElseThrow().payload());
            assertEquals(StartResult.STARTED, await(orders.start("o-2", 1)));
        });
        deploy(Before.OrderFsm.class, Before.OrderFsm::new, orders -> {
            // and back again: what the new name stored is there too, under the same pinned ids
            assertEquals(StartResult.LOADED, await(orders.start("o-2", 0)));
            assertEquals(1, await(orders.state("o-2")).orElseThrow().payload());
        });
    }

    @Test
    void theEtsTableFindsFsmsByThePinnedName() throws Exception {
        String tableName = "renamed-" + System.nanoTime();
        ActorTestKit node = ActorTestKit.create("ets", ConfigFactory.parseString("""
                finitomata.persistence.ets.journal.table = "%s"
                finitomata.persistence.ets.snapshot-store.table = "%s"
                """.formatted(tableName, tableName)).withFallback(Ets.config()).withFallback(ConfigFactory.load()));
        try {
            Finitomata<Integer> orders = Finitomata.create(node.system(), "orders", Before.OrderFsm.class,
                    Before.OrderFsm::new);
            await(orders.start("o-1", 3));
            EtsTable table = Ets.table(tableName);
            assertEquals(3, table.get("orders", After.PurchaseFsm.class, "o-1").orElseThrow().payload());
        } finally {
            node.shutdownTestKit();
            Ets.table(tableName).clear();
        }
    }

    private interface Deployment {
        void run(Finitomata<Integer> orders) throws Exception;
    }

    private <B extends FsmBehavior<Integer>> void deploy(Class<B> type, FsmFactory<Integer> factory,
                                                        Deployment code) throws Exception {
        ActorTestKit node = ActorTestKit.create("node", FileJournalDir.config(dir, ""));
        try {
            code.run(Finitomata.create(node.system(), "orders", type, factory));
        } finally {
            node.shutdownTestKit();
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
