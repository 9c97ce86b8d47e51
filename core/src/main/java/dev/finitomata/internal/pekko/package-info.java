/**
 * INTERNAL API. Everything tied to Pekko's implementation: {@link dev.finitomata.internal.pekko.PekkoInternals}
 * (the internals and Scala types used, pinned by a test), the virtual-thread executor, the scheduler clock and the
 * test kit's virtual time.
 */
package dev.finitomata.internal.pekko;
