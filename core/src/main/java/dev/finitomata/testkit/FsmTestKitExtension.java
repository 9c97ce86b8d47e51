package dev.finitomata.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives every test an ActorTestKit on a journal of its own, and {@link FsmTestKit}s in it,
 * and cleans up after the test: the ActorSystem is shut down and the store is erased (the ETS table cleared, the
 * file journal's directory deleted).
 *
 * <p>Either in a field, configured by its builder methods:
 * <pre>{@code
 * @RegisterExtension
 * final FsmTestKitExtension fsms = FsmTestKitExtension.create().store(FsmStore.FILE).virtualTime();
 *
 * @Test
 * void anOrderIsCancelledWhenItsPaymentWindowPasses() {
 *     FsmTestKit<Order> kit = fsms.kit(OrderFsm.class, OrderFsm::new);
 *     ...
 * }
 * }</pre>
 * or with {@code @ExtendWith(FsmTestKitExtension.class)} (settings from {@link FsmTestKitSettings} on the class),
 * where a test method asks for what it needs as parameters: an {@link FsmTestKit} marked {@link ForFsm}, the
 * {@link ActorTestKit}, or the extension itself.
 *
 * <p>Each test gets a fresh ActorTestKit (its configuration: ManualTime's if on virtual time, then the store's, then
 * {@link #config}, then {@code application.conf}); {@link #restart} replaces it mid-test by a new one on the same
 * store, to test recovery. Tests of one class run one at a time (the extension keeps the current test's state).
 */
public final class FsmTestKitExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private FsmStore store;
    private Boolean virtualTime;
    private Config config = ConfigFactory.empty();
    /** The current test's: its ActorTestKit, its store's directory and table. */
    private ActorTestKit testKit;
    private Path directory;
    private String table;
    /** The current ActorTestKit's kits, by FSM type. */
    private final Map<Class<?>, FsmTestKit<?>> kits = new HashMap<>();

    /** For {@code @ExtendWith}: settings come from {@link FsmTestKitSettings} on the test class. */
    public FsmTestKitExtension() {
    }

    /** For a {@code @RegisterExtension} field: the in-memory store and the wall clock, unless told otherwise. */
    public static FsmTestKitExtension create() {
        FsmTestKitExtension extension = new FsmTestKitExtension();
        extension.store = FsmStore.INMEM;
        extension.virtualTime = false;
        return extension;
    }

    /** Runs the tests on {@code chosen}. */
    public FsmTestKitExtension store(FsmStore chosen) {
        this.store = Objects.requireNonNull(chosen, "store");
        return this;
    }

    /** Runs the tests on virtual time (Pekko's ManualTime): see {@link FsmTestKit#advance}. */
    public FsmTestKitExtension virtualTime() {
        this.virtualTime = true;
        return this;
    }

    /** Adds configuration (the FSMs' settings, log levels), above {@code application.conf}. */
    public FsmTestKitExtension config(Config extra) {
        this.config = Objects.requireNonNull(extra, "extra").withFallback(config);
        return this;
    }

    // ---- during a test ----

    /**
     * The kit running FSMs of {@code type} in the current test's ActorTestKit: one per type, under the supervisor id
     * {@code type}'s simple name, so that after {@link #restart} the new kit of that type finds its FSMs again.
     *
     * @throws IllegalStateException if no test is running
     */
    @SuppressWarnings("unchecked")
    public <P> FsmTestKit<P> kit(Class<? extends FsmBehavior<P>> type, FsmFactory<P> factory) {
        ActorTestKit current = testKit();
        return (FsmTestKit<P>) kits.computeIfAbsent(type,
                t -> FsmTestKit.create(current, type.getSimpleName(), type, factory));
    }

    /** The current test's ActorTestKit. @throws IllegalStateException if no test is running */
    public ActorTestKit testKit() {
        if (testKit == null) {
            throw new IllegalStateException("FsmTestKitExtension: no test is running (call this from a test method, "
                    + "or from @BeforeEach)");
        }
        return testKit;
    }

    /** The current test's directory: the file journal and snapshots live in it. Deleted after the test. */
    public Path directory() {
        testKit();
        return directory;
    }

    /** The name of the current test's ETS table (with {@link FsmStore#ETS}). Cleared after the test. */
    public String etsTable() {
        testKit();
        return table;
    }

    /**
     * Shuts the current ActorTestKit down and starts a new one on the same store, as a restarted node would be: FSMs
     * come back from the journal when started. Kits made before belong to the old one: make new ones.
     *
     * @return the new ActorTestKit
     * @throws IllegalStateException if the store is {@link FsmStore#INMEM}, which the old ActorSystem took with it
     */
    public ActorTestKit restart() {
        if (store == FsmStore.INMEM) {
            throw new IllegalStateException("the INMEM store ends with its ActorSystem: restart needs FsmStore.ETS "
                    + "or FsmStore.FILE");
        }
        testKit().shutdownTestKit();
        kits.clear();
        testKit = ActorTestKit.create(systemName(), systemConfig());
        return testKit;
    }

    // ---- JUnit ----

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (store == null) {
            FsmTestKitSettings settings = context.getRequiredTestClass().getAnnotation(FsmTestKitSettings.class);
            store = settings == null ? FsmStore.INMEM : settings.store();
            virtualTime = settings != null && settings.virtualTime();
        }
        directory = Files.createTempDirectory("finitomata-test-");
        table = "test-" + UUID.randomUUID();
        testKit = ActorTestKit.create(systemName(), systemConfig());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (testKit != null) {
                testKit.shutdownTestKit();
            }
        } finally {
            testKit = null;
            kits.clear();
            if (store == FsmStore.ETS) {
                clearEtsTable(table);
            }
            deleteRecursively(directory);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ActorTestKit.class || type == FsmTestKitExtension.class
                || (type == FsmTestKit.class && parameter.isAnnotated(ForFsm.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == ActorTestKit.class) {
            return testKit();
        }
        if (type == FsmTestKitExtension.class) {
            return this;
        }
        Class<?> fsm = parameter.findAnnotation(ForFsm.class).orElseThrow().value();
        return kitOf(fsm);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private FsmTestKit<?> kitOf(Class<?> fsm) {
        Constructor<?> constructor;
        try {
            constructor = fsm.getConstructor(FsmContext.class);
        } catch (NoSuchMethodException e) {
            throw new ParameterResolutionException("@ForFsm(" + fsm.getSimpleName() + ".class): it has no public "
                    + "constructor taking an FsmContext; ask for the FsmTestKitExtension instead and call "
                    + "kit(" + fsm.getSimpleName() + ".class, factory)");
        }
        FsmFactory factory = context -> {
            try {
                return (FsmBehavior) constructor.newInstance(context);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("could not build " + fsm.getName(), e);
            }
        };
        return kit((Class) fsm, factory);
    }

    // ---- the store ----

    private String systemName() {
        return "fsm-test-" + table.substring(5, 13);
    }

    private Config systemConfig() {
        Config stored = switch (store) {
            case INMEM -> ConfigFactory.empty()
                    .withValue("pekko.persistence.journal.plugin",
                            ConfigValueFactory.fromAnyRef("pekko.persistence.journal.inmem"))
                    .withValue("pekko.persistence.snapshot-store.plugin",
                            ConfigValueFactory.fromAnyRef("pekko.persistence.snapshot-store.local"))
                    .withValue("pekko.persistence.snapshot-store.local.dir",
                            ConfigValueFactory.fromAnyRef(directory.resolve("snapshots").toString()));
            case ETS -> plugins("finitomata.persistence.ets", "finitomata-persistence-ets")
                    .withValue("finitomata.persistence.ets.journal.table", ConfigValueFactory.fromAnyRef(table))
                    .withValue("finitomata.persistence.ets.snapshot-store.table", ConfigValueFactory.fromAnyRef(table));
            case FILE -> plugins("finitomata.persistence.file", "finitomata-persistence-file")
                    .withValue("finitomata.persistence.file.journal.dir",
                            ConfigValueFactory.fromAnyRef(directory.resolve("journal").toString()))
                    .withValue("finitomata.persistence.file.snapshot-store.dir",
                            ConfigValueFactory.fromAnyRef(directory.resolve("snapshots").toString()))
                    // on virtual time every run of a periodic task is a step: compact daily, not every 30 s
                    .withValue("finitomata.persistence.file.journal.compaction.interval",
                            ConfigValueFactory.fromAnyRef(Boolean.TRUE.equals(virtualTime) ? "1d" : "30s"));
        };
        Config base = Boolean.TRUE.equals(virtualTime) ? ManualTime.config() : ConfigFactory.empty();
        return base.withFallback(stored).withFallback(config).withFallback(ConfigFactory.load());
    }

    /** The store's journal and snapshot store as Pekko's defaults. @throws IllegalStateException if not there */
    private static Config plugins(String path, String module) {
        if (!ConfigFactory.load().hasPath(path + ".journal.class")) {
            throw new IllegalStateException("FsmStore." + (path.endsWith("ets") ? "ETS" : "FILE") + " needs "
                    + module + " on the test class path: add the dependency dev.finitomata:" + module
                    + " with <scope>test</scope>");
        }
        return ConfigFactory.empty()
                .withValue("pekko.persistence.journal.plugin", ConfigValueFactory.fromAnyRef(path + ".journal"))
                .withValue("pekko.persistence.snapshot-store.plugin",
                        ConfigValueFactory.fromAnyRef(path + ".snapshot-store"));
    }

    /** The ETS table is JVM-wide: cleared through its module's public API (core does not depend on it). */
    private static void clearEtsTable(String name) {
        try {
            Object table = Class.forName("dev.finitomata.persistence.ets.Ets").getMethod("table", String.class)
                    .invoke(null, name);
            table.getClass().getMethod("clear").invoke(table);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not clear the test's ETS table '" + name + "'", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the test's store " + root, e);
        }
    }
}
