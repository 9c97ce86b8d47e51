package dev.finitomata.samples;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.definition.FsmDefinition;

/** A parcel on its way: the FSM whose payload, {@link Parcel}, has evolved through four versions. */
public final class ParcelFsm extends FsmBehavior<Parcel> {

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            packed --> |ship| shipped
            shipped --> |deliver| delivered
            """);

    public ParcelFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }
}
