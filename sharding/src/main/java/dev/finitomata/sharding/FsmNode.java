package dev.finitomata.sharding;

import java.util.Objects;

/**
 * One member of the cluster as {@link Infinitomata#nodes()} sees it.
 *
 * @param address   the member's address ({@code pekko://system@host:port})
 * @param status    its membership status ({@code Up}, {@code Leaving}, ...)
 * @param reachable whether this node's failure detector reaches it
 * @param fsms      the FSMs of this supervisor running there (passivated ones included); -1 when it did not answer
 * @param shards    the shards of this supervisor it hosts; -1 when it did not answer
 */
public record FsmNode(String address, String status, boolean reachable, long fsms, int shards) {

    /** @throws NullPointerException if {@code address} or {@code status} is null */
    public FsmNode {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
    }
}
