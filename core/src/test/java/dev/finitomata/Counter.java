package dev.finitomata;

/** The payload of the test FSM. */
public record Counter(int value) {

    Counter plus(int n) {
        return new Counter(value + n);
    }
}
