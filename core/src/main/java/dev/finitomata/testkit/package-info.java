/**
 * Testing FSMs in a few lines on top of Pekko's ActorTestKit: {@link dev.finitomata.testkit.FsmTestKit}.
 */
package dev.finitomata.testkit;
