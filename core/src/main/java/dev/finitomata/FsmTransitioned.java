package dev.finitomata;

/**
 * Published on the ActorSystem's event stream for every committed transition; subscribe with
 * {@code system.eventStream().tell(new EventStream.Subscribe<>(FsmTransitioned.class, actor))}.
 *
 * @param supervisorId the id of the supervisor ({@code Finitomata}/{@code Infinitomata}) running the FSM
 * @param name         the FSM's name
 * @param from         the state it left ({@code "*"} for the entry transition)
 * @param event        the event
 * @param to           the state it entered ({@code "*"} when it finished)
 * @param payload      its payload after the transition
 */
public record FsmTransitioned(String supervisorId, String name, String from, String event, String to,
                              Object payload) {
}
