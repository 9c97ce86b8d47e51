/**
 * INTERNAL API. The local facade's runtime: {@link dev.finitomata.internal.local.LocalFsms} (the engine behind
 * {@code Finitomata}), its supervisor actor and the per-FSM host and gate.
 */
package dev.finitomata.internal.local;
