package dev.finitomata.internal.runtime;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.definition.FsmDefinition;

/** INTERNAL API. The user's FSM as its factory built it, with its definition and context. */
record Built<P>(FsmBehavior<P> behavior, FsmDefinition definition, FsmContext context) {
}
