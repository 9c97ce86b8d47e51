package dev.finitomata.sharding.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Marks a test class that runs its cluster in node JVMs of its own ({@link NodeProcess}). Such a class runs beside
 * this module's in-process tests, one at a time with the other classes marked so ({@code junit-platform.properties}
 * runs classes in the test thread unless they are marked).
 *
 * <p>Why: a node-JVM test keeps about 1.3 of the two cores busy (three or four JVMs starting, loaded, killed), while
 * the in-process cluster tests use about half a core, mostly waiting on the failure detector and the split-brain
 * resolver. Run one after the other they took 417 s of this module's 8 minutes; side by side they overlap. Two
 * node-JVM tests at once would put seven JVMs on two cores, so the lock keeps them apart.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("node-jvms")
public @interface NodeProcessTest {
}
