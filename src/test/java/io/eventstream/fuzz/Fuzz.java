package io.eventstream.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import io.eventstream.api.EventStreamException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives one parser with {@link Mutator}'s inputs for a fixed time: it must accept each input or refuse it the
 * documented way ({@link EventStreamException}, or one of the refusals named), never throw anything else. The seed is
 * printed; {@code -Dfuzz.seed=N} replays a run and {@code -Dfuzz.millis=N} sets the time per parser (default 2 s).
 */
public final class Fuzz {

    private static final long MILLIS_PER_PARSER = Long.getLong("fuzz.millis", 2_000);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

    private Fuzz() {
    }

    /** Fuzzes {@code parse}, named {@code parser} in the output, with mutations of {@code corpus}. */
    public static void fuzz(String parser, List<String> corpus, Consumer<String> parse, Class<?>... refusals) {
        Mutator inputs = new Mutator(SEED + parser.hashCode(), corpus);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MILLIS_PER_PARSER);
        int runs = 0;
        while (System.nanoTime() < deadline) {
            String input = inputs.next();
            runs++;
            try {
                parse.accept(input);
            } catch (EventStreamException refused) {
                // the documented refusal
            } catch (Throwable other) {
                if (List.of(refusals).stream().anyMatch(type -> type.isInstance(other))) {
                    continue;
                }
                fail(parser + " threw " + other + " for an input of " + input.length() + " characters (seed " + SEED
                        + ", -Dfuzz.seed to replay): " + printable(input), other);
            }
        }
        System.out.println("Fuzz: " + parser + " took " + runs + " inputs (seed " + SEED + ")");
    }

    /** The input as a failure message shows it: at most 300 characters, control characters as '?'. */
    public static String printable(String input) {
        String shown = input.length() > 300 ? input.substring(0, 300) + "... (" + input.length() + ")" : input;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
