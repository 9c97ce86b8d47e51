package dev.finitomata.sharding;

import dev.finitomata.FsmLocation;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The running FSMs of an {@link Infinitomata} as counted across the cluster: each node that may hold FSMs (Up,
 * leaving or exiting) and is reachable is asked for the FSMs running there (passivated ones included). A node that
 * is unreachable, or does not answer within {@code finitomata.sharding.census-timeout}, is listed in
 * {@link #missingNodes()} and its FSMs are left out: the census answers anyway, and {@link #complete()} says whether
 * it heard from everyone. FSMs moving between nodes during the count may be missed.
 *
 * @param fsms         the running FSMs heard of and where each runs (empty when only counted)
 * @param count        how many running FSMs were heard of
 * @param missingNodes the addresses of the nodes not heard from
 */
public record FsmCensus(Map<String, FsmLocation> fsms, int count, Set<String> missingNodes) {

    /** Copies the collections. @throws NullPointerException if one is null */
    public FsmCensus {
        fsms = Map.copyOf(Objects.requireNonNull(fsms, "fsms"));
        missingNodes = Set.copyOf(Objects.requireNonNull(missingNodes, "missingNodes"));
    }

    /** Whether every node that may hold FSMs answered. */
    public boolean complete() {
        return missingNodes.isEmpty();
    }
}
