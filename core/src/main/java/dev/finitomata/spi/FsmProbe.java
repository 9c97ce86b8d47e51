package dev.finitomata.spi;

/**
 * Observes the FSM supervisors of one ActorSystem (installed with {@link FsmProbes#add}).
 */
@FunctionalInterface
public interface FsmProbe {

    /**
     * Shown one supervisor ({@code Finitomata} or {@code Infinitomata}) of the system: called once for each, for those
     * that exist when the probe is added (on the thread that adds it) and for each one created later (on the thread
     * that creates it, once the supervisor is ready). Must not block.
     *
     * @return what observes the FSMs of that supervisor on this node; {@link FsmTypeProbe#NONE} to ignore them
     */
    FsmTypeProbe observe(FsmSupervisorInfo supervisor);
}
