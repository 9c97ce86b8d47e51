package dev.finitomata.sharding.it;

import static dev.finitomata.sharding.it.ClusterProbes.await;
import static dev.finitomata.sharding.it.ClusterProbes.locatedOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmState;
import dev.finitomata.forks.ApplicantFsm;
import dev.finitomata.forks.DocumentFsm;
import dev.finitomata.persistence.jdbc.EmbeddedPg;
import dev.finitomata.sharding.ConsistentHashClusterInfo;
import dev.finitomata.sharding.Infinitomata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retried hard events and sub-FSM flows (issue 25, points 2 and 3) through a node's kill -9, on a real cluster: three
 * node JVMs sharing the embedded PostgreSQL, hosting {@link ParcelFsm}s (whose first attempt to ship always fails, and
 * whose second is due {@link ParcelFsm#BACKOFF} later) and applicants that fork three documents each. Half the parcels
 * and applicants live on the oldest node (which hosts the shard coordinators too); it is killed while every retry is
 * pending and every document is requested. On the survivors, each parcel is shipped by its second attempt, and no
 * attempt is made twice anywhere (each JVM appends its attempts to a file of its own); each applicant collects its
 * three documents, each exactly once.
 */
@NodeProcessTest
class FlowsFailoverTest {

    private static final int PER_SIDE = 6;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private RealCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void pendingRetriesAndForksCompleteOnceOnTheSurvivorsOfAKill() throws Exception {
        Path attemptsDir = Files.createDirectories(Path.of("target", "flows-it", "attempts"));
        try (var old = Files.list(attemptsDir)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        String database = EmbeddedPg.shared().freshDatabase("flows_it");
        cluster = new RealCluster(3, Path.of("target", "flows-it"), database, List.of(
                "-D" + ClusterNode.FLOWS + "=true", "-D" + ParcelFsm.ATTEMPTS + "=" + attemptsDir.toAbsolutePath()))
                .start();
        ActorSystem<Void> client = cluster.client();
        Infinitomata<Integer> parcels = Infinitomata.create(client, ClusterNode.PARCELS, ParcelFsm.class,
                ParcelFsm::new);
        Infinitomata<ApplicantFsm.Docs> applicants = Infinitomata.create(client, ClusterNode.APPLICANTS,
                ApplicantFsm.class, ApplicantFsm::new);
        Infinitomata<String> documents = Infinitomata.create(client, ClusterNode.DOCUMENTS, DocumentFsm.class,
                DocumentFsm::new);
        String oldest = ClusterProbes.oldestFsmNode(client);
        List<String> parcelNames = namesHalfOn(client, "parcel-", oldest);
        List<String> applicantNames = namesHalfOn(client, "applicant-", oldest);

        for (String name : applicantNames) {
            await(applicants.start(name, new ApplicantFsm.Docs(List.of())));
            await(applicants.transitionAndWait(name, "submit", null));
        }
        for (String name : applicantNames) {
            for (String kind : ApplicantFsm.KINDS) {
                eventually(() -> quickly(documents.state(name + "-" + kind)).flatMap(s -> s).isPresent(),
                        name + "-" + kind + " was forked");
            }
        }
        for (String name : parcelNames) {
            await(parcels.start(name, 0));
            await(parcels.transitionAndWait(name, "pay", null));
        }
        for (String name : parcelNames) { // the failed first attempt and the pending second are journaled
            eventually(() -> await(parcels.history(name)).stream().anyMatch(e -> e.event().equals("__retry__")),
                    name + " waits for its second attempt");
        }
        List<String> parcelsOnOldest = locatedOn(parcels, parcelNames, oldest);
        List<String> applicantsOnOldest = locatedOn(applicants, applicantNames, oldest);
        assertFalse(parcelsOnOldest.isEmpty(), "some parcels live on the oldest node");
        assertFalse(applicantsOnOldest.isEmpty(), "some applicants live on the oldest node");

        Instant firstDue = parcelsOnOldest.stream().map(n -> await(parcels.history(n)).stream()
                .filter(e -> e.event().equals("__retry__")).findFirst().orElseThrow().at().plus(ParcelFsm.BACKOFF))
                .min(Instant::compareTo).orElseThrow();
        double killedBeforeDue = Duration.between(Instant.now(), firstDue).toMillis() / 1e3;
        cluster.nodeAt(oldest).kill();

        for (String name : applicantNames) {
            for (String kind : ApplicantFsm.KINDS) {
                String doc = name + "-" + kind;
                // a call that timed out during the failover may have been applied: then the document has ended
                eventually(() -> quickly(documents.state(doc)).map(state -> state.isEmpty()
                        || quickly(documents.transitionAndWait(doc, "receive", null)).isPresent()).orElse(false),
                        doc + " is received");
            }
        }
        for (String name : parcelNames) {
            eventually(() -> quickly(parcels.state(name)).flatMap(s -> s).map(s -> s.current().equals("shipped"))
                    .orElse(false), name + " is shipped");
            FsmState<Integer> state = await(parcels.state(name)).orElseThrow();
            assertEquals(2, state.payload(), name + ": shipped by its second attempt");
        }
        Map<String, List<Integer>> attempts = ParcelFsm.attempts(attemptsDir);
        List<Double> late = new ArrayList<>();
        for (String name : parcelNames) {
            assertEquals(List.of(1, 2), attempts.get(name), name + (parcelsOnOldest.contains(name)
                    ? " (failed over)" : "") + ": each attempt made once, in all the JVMs together");
            List<FsmHistoryEntry<Integer>> history = await(parcels.history(name));
            List<FsmHistoryEntry<Integer>> failed = history.stream().filter(e -> e.event().equals("__retry__"))
                    .toList();
            assertEquals(1, failed.size(), name + ": one failed attempt in the history");
            if (parcelsOnOldest.contains(name)) {
                Instant due = failed.get(0).at().plus(ParcelFsm.BACKOFF);
                late.add(Duration.between(due, history.get(history.size() - 1).at()).toMillis() / 1e3);
            }
        }
        Collections.sort(late);
        for (String name : applicantNames) {
            eventually(() -> quickly(applicants.state(name)).flatMap(s -> s).map(s -> s.current().equals("complete"))
                    .orElse(false), name + " completes");
            assertEquals(3, await(applicants.state(name)).orElseThrow().payload().received().size(), name);
            List<FsmHistoryEntry<ApplicantFsm.Docs>> history = await(applicants.history(name));
            assertEquals(3, history.stream().filter(e -> e.event().equals("document_done")).count(),
                    name + (applicantsOnOldest.contains(name) ? " (failed over)" : "") + ": each document once");
        }
        System.out.printf("flows through a kill -9 of the oldest node: %d of %d parcels and %d of %d applicants failed "
                        + "over; every parcel shipped by its second attempt (due %d s after its first; those failed "
                        + "over shipped %s s after it was due, the kill %.1f s before it), each attempt once; every "
                        + "applicant collected 3 documents once; ERROR lines: %s%n",
                parcelsOnOldest.size(), parcelNames.size(), applicantsOnOldest.size(), applicantNames.size(),
                ParcelFsm.BACKOFF.toSeconds(), late, killedBeforeDue, cluster.errorCounts());
    }

    /**
     * {@value #PER_SIDE} names with {@code prefix} whose home on the ring of the Up FSM nodes is {@code node}, and as
     * many whose home is elsewhere.
     */
    private static List<String> namesHalfOn(ActorSystem<?> client, String prefix, String node) {
        ConsistentHashClusterInfo ring = new ConsistentHashClusterInfo(client,
                client.settings().config().getInt("pekko.cluster.sharding.number-of-shards"),
                client.settings().config().getInt("finitomata.sharding.virtual-nodes"));
        List<String> on = new ArrayList<>();
        List<String> off = new ArrayList<>();
        for (int i = 0; on.size() < PER_SIDE || off.size() < PER_SIDE; i++) {
            String name = prefix + i;
            List<String> side = ring.whois(name).toString().equals(node) ? on : off;
            if (side.size() < PER_SIDE) {
                side.add(name);
            }
        }
        List<String> names = new ArrayList<>(on);
        names.addAll(off);
        return names;
    }

    private static <T> Optional<T> quickly(CompletionStage<T> stage) {
        try {
            return Optional.ofNullable(stage.toCompletableFuture().get(2, TimeUnit.SECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static void eventually(Supplier<Boolean> check, String what) {
        ClusterProbes.eventually(PATIENCE, check, what);
    }
}
