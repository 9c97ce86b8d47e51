package dev.finitomata.internal.util;

/** INTERNAL API. Searching the sorted sequence-number columns of the stores' per-id indexes. */
public final class SortedLongs {

    private SortedLongs() {
    }

    /** The first index in {@code [from, to)} of the ascending {@code values} whose value is {@code >= key}. */
    public static int firstAtOrAfter(long[] values, int from, int to, long key) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
