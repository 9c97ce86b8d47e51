/**
 * A live web page of the FSMs of an ActorSystem ({@link dev.finitomata.dashboard.FsmDashboard}): each FSM type's
 * diagram with its live counts and the transitions taken per edge, the FSMs in a state oldest first, and one FSM's
 * state, payload and history. Pekko HTTP routes, mountable in an application's own server, or served alone.
 */
package dev.finitomata.dashboard;
