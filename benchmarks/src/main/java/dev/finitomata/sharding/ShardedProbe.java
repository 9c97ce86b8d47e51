package dev.finitomata.sharding;

/** For the benchmarks: what an {@link Infinitomata} tells its tests only (this class shares its package). */
public final class ShardedProbe {

    private ShardedProbe() {
    }

    /** How many FSMs on {@code fsms}' node are passivated now. */
    public static long passivated(Infinitomata<?> fsms) {
        return fsms.passivated();
    }
}
