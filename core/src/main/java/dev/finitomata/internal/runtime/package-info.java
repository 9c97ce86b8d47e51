/**
 * INTERNAL API. The FSM actor and what it needs: {@link dev.finitomata.internal.runtime.FsmRuntime} builds it,
 * {@code FsmActor} (Pekko template methods and dispatch) over {@code LifecycleSteps}, {@code TransitionSteps} and
 * {@code ActorCore}, its {@code Phase}, the per-type {@link dev.finitomata.internal.runtime.FsmType} and
 * {@link dev.finitomata.internal.runtime.FsmSettings}, the host strategy {@link dev.finitomata.internal.runtime.FsmHost},
 * persistence ids and their pinned type names ({@link dev.finitomata.internal.runtime.TypePins}).
 */
package dev.finitomata.internal.runtime;
