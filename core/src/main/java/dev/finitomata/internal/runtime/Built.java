package dev.finitomata.internal.runtime;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.definition.FsmDefinition;
import java.util.Set;

/**
 * INTERNAL API. The user's FSM as its factory built it, with its definition, context and the events only it may
 * fire ({@code internalEvents()}).
 */
record Built<P>(FsmBehavior<P> behavior, FsmDefinition definition, FsmContext context, Set<String> internalEvents) {
}
