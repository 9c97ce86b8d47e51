package dev.finitomata.benchmarks;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmState;
import dev.finitomata.TimerResult;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.testkit.FsmTestKit;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;

/**
 * How fast the test kit runs virtual time: FSMs whose hourly timer persists a payload update (a bill), through a
 * number of virtual days, on the ETS journal. Ours: {@code FsmTestKit.advance(days)}, which steps from timer to timer
 * and waits for the FSMs to settle at each. Baseline, in the same run and the same FSMs: what a Pekko user does with
 * {@code ManualTime} alone, {@code timePasses(1 hour)} once per hour and then waiting for the bills (each
 * {@code timePasses} sleeps 100 ms so that the actors catch up; without that the ticks drift). Both must end with
 * every FSM billed once per hour, which is checked. Rounds alternate between the two. Then, once, the quick way with
 * ManualTime alone: one {@code timePasses} over the whole span, and how many bills that gets.
 *
 * <p>Arguments: FSMs [100], days [7], rounds [3].
 */
public final class VirtualTimeBenchmark {

    /** An account billed every hour by its timer. */
    public static final class Biller extends FsmBehavior<Integer> {
        static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                active --> |close| closed
                """);

        public Biller(FsmContext context) {
            super(context);
        }

        @Override
        protected FsmDefinition definition() {
            return DEFINITION;
        }

        @Override
        protected Optional<Duration> timer() {
            return Optional.of(Duration.ofHours(1));
        }

        @Override
        protected TimerResult<Integer> onTimer(String state, FsmState<Integer> fsm) {
            return TimerResult.update(fsm.payload() + 1);
        }
    }

    private VirtualTimeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int fsms = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.printf("%d FSMs, %d virtual days of hourly persisted ticks (%,d ticks), ETS journal%n", fsms, days,
                (long) fsms * days * 24);
        double[][] results = Bench.rounds(0, rounds, () -> run(fsms, days, true), () -> run(fsms, days, false));
        double ours = Bench.median(results[0]);
        double baseline = Bench.median(results[1]);
        new Bench.Table("The test kit's virtual time (issue 15)")
                .row(days + " virtual days of " + fsms + " FSMs: wall time", ours, "ManualTime.timePasses(1 h) x "
                        + days * 24, baseline, false, "ms")
                .print();
        System.out.printf("ManualTime.timePasses(%d days) in one call instead: %s%n", days, oneJump(fsms, days));
    }

    /** The quick way with ManualTime alone, one {@code timePasses} over the whole span: how many bills it gets. */
    private static String oneJump(int fsms, int days) {
        ActorTestKit testKit = manualTime("virtual-jump");
        try {
            FsmTestKit<Integer> kit = billers(testKit, fsms);
            long start = System.nanoTime();
            ManualTime.get(testKit.system()).timePasses(Duration.ofDays(days));
            kit.settle();
            long millis = (System.nanoTime() - start) / 1_000_000;
            long billed = 0;
            for (int i = 0; i < fsms; i++) {
                billed += kit.attach("biller-" + i).state().payload();
            }
            return String.format("%,d ms, %,d of %,d bills (the jump also passes the timeouts of journal writes in flight: they fail, "
                    + "and the FSMs restart)", millis,
                    billed, (long) fsms * days * 24);
        } finally {
            testKit.shutdownTestKit();
        }
    }

    /** A quiet ActorTestKit on ManualTime and the ETS journal. */
    private static ActorTestKit manualTime(String name) {
        return ActorTestKit.create(name, ManualTime.config().withFallback(Bench.config("""
                pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                """)));
    }

    /** A kit with {@code fsms} billers started, at nought bills each. */
    private static FsmTestKit<Integer> billers(ActorTestKit testKit, int fsms) {
        FsmTestKit<Integer> kit = FsmTestKit.create(testKit, Biller.class, Biller::new);
        for (int i = 0; i < fsms; i++) {
            kit.start("biller-" + i, 0);
        }
        return kit;
    }

    /** One round: answers the wall time in ms until every FSM has its bills. */
    private static double run(int fsms, int days, boolean kitAdvances) throws Exception {
        ActorTestKit testKit = manualTime("virtual-" + (kitAdvances ? "kit" : "manual"));
        try {
            FsmTestKit<Integer> kit = billers(testKit, fsms);
            int hours = days * 24;
            long start = System.nanoTime();
            if (kitAdvances) {
                kit.advance(Duration.ofDays(days));
            } else {
                ManualTime manual = ManualTime.get(testKit.system());
                for (int h = 0; h < hours; h++) {
                    manual.timePasses(Duration.ofHours(1));
                }
                kit.settle();
            }
            double millis = (System.nanoTime() - start) / 1e6;
            long bills = 0;
            for (int i = 0; i < fsms; i++) {
                int billed = kit.attach("biller-" + i).state().payload();
                if (billed != hours && kitAdvances) {
                    throw new IllegalStateException("advance: biller-" + i + " was billed " + billed + " times in "
                            + hours + " hours");
                }
                bills += billed;
            }
            if (bills != (long) fsms * hours) { // the baseline's own flaw (its steps fail writes in flight): told
                System.out.printf("timePasses round WRONG: %,d of %,d bills in %.0f ms%n", bills, (long) fsms * hours,
                        millis);
            }
            return millis;
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
