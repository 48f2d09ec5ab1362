package io.eventstream.bench;

/**
 * Latencies in microseconds, in log-linear buckets (64 per power of two, so within 1.6 %), from 0 to about 2^40 µs.
 * Not thread-safe: one I/O thread records.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private final long[] counts = new long[(41 - SUB_BITS + 1) * SUB + SUB];
    private long total;
    private long max;

    void record(long micros) {
        long v = Math.max(0, micros);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    /** The non-empty buckets and the maximum, as text ({@code max;index:count,...}), for another process to merge. */
    String buckets() {
        StringBuilder sb = new StringBuilder().append(max).append(';');
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                sb.append(i).append(':').append(counts[i]).append(',');
            }
        }
        return sb.toString();
    }

    /** Adds what {@link #buckets()} wrote: a histogram of another process. */
    void addBuckets(String text) {
        int semi = text.indexOf(';');
        max = Math.max(max, Long.parseLong(text.substring(0, semi)));
        for (String bucket : text.substring(semi + 1).split(",")) {
            if (bucket.isEmpty()) {
                continue;
            }
            int colon = bucket.indexOf(':');
            long n = Long.parseLong(bucket.substring(colon + 1));
            counts[Integer.parseInt(bucket.substring(0, colon))] += n;
            total += n;
        }
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The value at quantile {@code q} (0..1), as the upper edge of its bucket; -1 when empty. */
    long quantile(double q) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return Math.min(upper(i), max);
            }
        }
        return max;
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        int shift = exp - SUB_BITS;
        int sub = (int) (v >>> shift) - SUB; // 0..SUB-1
        int i = SUB + shift * SUB + sub;
        return Math.min(i, SUB + (41 - SUB_BITS) * SUB + SUB - 1);
    }

    private static long upper(int i) {
        if (i < SUB) {
            return i;
        }
        int shift = (i - SUB) / SUB;
        int sub = (i - SUB) % SUB;
        return (((long) (SUB + sub + 1)) << shift) - 1;
    }
}
