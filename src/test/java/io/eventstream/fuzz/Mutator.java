package io.eventstream.fuzz;

import java.util.List;
import java.util.Random;

/**
 * Makes inputs for the parsers' fuzz tests by mutating valid ones: characters inserted, deleted, replaced or
 * repeated, pieces of two inputs spliced, bytes that parsers trip on (escapes, quotes, brackets, '*', controls,
 * surrogates, long runs). Seeded: a failure prints the seed and the input.
 */
public final class Mutator {

    private static final String ALPHABET = "abcXYZ019/-_.:@*%+?&=#;,\"'\\[]{}<> \t\r\n\u0000\u007f\u00e9\u65e5\ud83d\ude00\ud800"
            + "eE+-.0123456789truefalsenull";
    private static final String[] PIECES = {"%", "%2", "%zz", "%FF", "%C0%AE", "%00", "%0d%0a", "*", "**", "/", "//",
        "{", "}", "[", "]", "\"", "\\u0000", "\\ud800", "1e999999", "-0", "0.", "9".repeat(40), "\"channel\":",
        "\"data\":", "\"event\":", "null", ".", "..", "eyJ", "Bearer ", "stream-open", "presence-join"};

    private final Random random;
    private final List<String> corpus;

    public Mutator(long seed, List<String> corpus) {
        this.random = new Random(seed);
        this.corpus = corpus;
    }

    /** A new input: a corpus entry with one to four mutations, now and then one very long. */
    public String next() {
        StringBuilder text = new StringBuilder(corpus.get(random.nextInt(corpus.size())));
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            mutate(text);
        }
        return text.toString();
    }

    private void mutate(StringBuilder text) {
        int at = text.length() == 0 ? 0 : random.nextInt(text.length() + 1);
        switch (random.nextInt(8)) {
            case 0 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            case 1 -> {
                if (text.length() > 0) {
                    text.deleteCharAt(Math.min(at, text.length() - 1));
                }
            }
            case 2 -> {
                if (text.length() > 0) {
                    text.setCharAt(Math.min(at, text.length() - 1), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            case 3 -> text.insert(at, PIECES[random.nextInt(PIECES.length)]);
            case 4 -> text.setLength(Math.min(at, text.length()));
            case 5 -> {
                int from = text.length() == 0 ? 0 : random.nextInt(text.length());
                String piece = text.substring(from, Math.min(text.length(), from + 1 + random.nextInt(8)));
                text.insert(at, piece.repeat(random.nextInt(20) == 0 ? 2_000 : 1 + random.nextInt(8)));
            }
            case 6 -> {
                String other = corpus.get(random.nextInt(corpus.size()));
                text.insert(at, other.substring(random.nextInt(other.length() + 1)));
            }
            default -> {
                String bracket = random.nextBoolean() ? "[" : "{\"a\":";
                text.insert(at, bracket.repeat(random.nextInt(20) == 0 ? 50_000 : 1 + random.nextInt(30)));
            }
        }
    }
}
