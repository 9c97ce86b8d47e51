/**
 * INTERNAL API. The engine's Pekko-free core: {@link dev.finitomata.internal.engine.FsmDecider} decides each
 * transition (accept, onExit, onTransition, allowed, payload check) and keeps the failure bookkeeping;
 * {@link dev.finitomata.internal.engine.Guard} is the one guard around user code;
 * {@link dev.finitomata.internal.engine.Versioning} checks versions; {@link dev.finitomata.internal.engine.UserCode}
 * is the one bridge to the protected hooks of {@code FsmBehavior}.
 */
package dev.finitomata.internal.engine;
