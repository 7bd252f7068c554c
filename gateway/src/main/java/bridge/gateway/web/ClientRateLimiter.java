package bridge.gateway.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client, in this process's memory: a client may make {@code burst} requests at
 * once and {@code perSecond} sustained. With several gateway replicas each keeps its own buckets, so
 * a client gets up to replicas × the limit: a cluster either sets each replica's limit to its share
 * (limit ÷ replicas, {@code BRIDGE_GATEWAY_RATE_LIMIT}) or moves the buckets to a shared store
 * (docs/adr/0011-gateway-abuse-limits.md).
 */
public final class ClientRateLimiter {

    /** Above this many tracked clients, buckets that have refilled completely (idle clients) are dropped. */
    static final int MAX_TRACKED = 50_000;

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ClientRateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.perNano = perSecond / 1_000_000_000.0;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one request from the client's bucket: 0 when allowed, else the nanoseconds until it would be. */
    public long acquire(String client) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            buckets.values().removeIf(b -> b.isFullAt(now, perNano, burst));
        }
        return buckets.computeIfAbsent(client, c -> new Bucket(burst, now)).take(now, perNano, burst);
    }

    int tracked() {
        return buckets.size();
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized long take(long now, double perNano, double burst) {
            refill(now, perNano, burst);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
        }

        synchronized boolean isFullAt(long now, double perNano, double burst) {
            refill(now, perNano, burst);
            return tokens >= burst;
        }

        private void refill(long now, double perNano, double burst) {
            if (now > last) {
                tokens = Math.min(burst, tokens + (now - last) * perNano);
                last = now;
            }
        }
    }
}
