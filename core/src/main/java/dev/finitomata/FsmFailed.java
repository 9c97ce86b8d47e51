package dev.finitomata;

/**
 * Published on the ActorSystem's event stream for every failure an FSM records (a refused or failed transition, or a
 * user hook that threw); subscribe with
 * {@code system.eventStream().tell(new EventStream.Subscribe<>(FsmFailed.class, actor))}. Published on the node
 * running the FSM, before the failure is answered.
 *
 * @param supervisorId  the id of the supervisor ({@code Finitomata}/{@code Infinitomata}) running the FSM
 * @param name          the FSM's name
 * @param persistenceId the FSM's persistence id
 * @param error         what failed
 */
public record FsmFailed(String supervisorId, String name, String persistenceId, FsmError error) {
}
