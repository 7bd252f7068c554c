package bridge.tokens;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The issuer's published signing keys (Keycloak's certs endpoint), as the token validators of the
 * services (support) and the gateway see them.
 *
 * <ul>
 *   <li>Fetched on first use and refreshed after {@code refreshAfter} (5 min), so a rotated key is
 *       picked up without a restart. The refresh runs in the background while requests go on with the
 *       keys held: a slow or frozen identity provider never holds a request (nor, through a lock, every
 *       request) for the fetch's timeouts.</li>
 *   <li>A failed refresh keeps the keys already held: an identity-provider outage does not make the
 *       service refuse tokens signed with a key it already knows (only with no keys at all, before
 *       the first successful fetch, is a token uncheckable).</li>
 *   <li>A token naming a key id not held triggers a refetch at most once per {@code refetchGap}
 *       (30 s): forged tokens with invented key ids cannot turn into a stream of requests to the
 *       identity provider. Inside the gap such a token finds no key (refused as invalid) — unless
 *       the provider is known to be unreachable: then the token cannot be checked now
 *       ({@link KeySourceException}: the provider's outage, not the caller's mistake).</li>
 * </ul>
 * After a failed fetch the provider is not asked again for {@code refetchGap} either way.
 */
public final class SigningKeys implements JWKSource<SecurityContext> {

    /** How the key set is fetched; a seam for tests. */
    @FunctionalInterface
    public interface Fetcher {
        JWKSet fetch() throws IOException, ParseException;
    }

    /** With no keys at all, how long after a failed fetch requests fail at once instead of fetching again. */
    public static final Duration FIRST_FETCH_RETRY = Duration.ofSeconds(1);
    /** The longest pause between start-up fetch attempts: keys soon after the provider comes up. */
    public static final Duration PREFETCH_RETRY_MAX = Duration.ofSeconds(5);

    private final Fetcher fetcher;
    private final Duration refreshAfter;
    private final Duration refetchGap;
    private final Clock clock;
    private final Executor refresher;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    private volatile JWKSet keys;
    private volatile Instant fetchedAt = Instant.MIN;
    private volatile Instant lastFailedAttempt = Instant.MIN;
    private volatile boolean unreachable;
    private Instant lastUnknownKeyRefetch = Instant.MIN;

    /** Refreshes on a background thread of its own (one at a time). */
    public SigningKeys(Fetcher fetcher, Duration refreshAfter, Duration refetchGap, Clock clock) {
        this(fetcher, refreshAfter, refetchGap, clock,
                task -> Thread.ofVirtual().name("signing-keys-refresh").start(task));
    }

    /** {@code refresher} runs the due refresh (tests pass {@code Runnable::run} to run it in place). */
    public SigningKeys(Fetcher fetcher, Duration refreshAfter, Duration refetchGap, Clock clock, Executor refresher) {
        this.fetcher = fetcher;
        this.refreshAfter = refreshAfter;
        this.refetchGap = refetchGap;
        this.clock = clock;
        this.refresher = refresher;
    }

    /** Keys from a JWK set URL, with short HTTP timeouts (a slow identity provider must not hold request threads). */
    public static SigningKeys fromUrl(String jwkSetUri, Duration refreshAfter, Duration refetchGap, Clock clock) {
        URL url;
        try {
            url = URI.create(jwkSetUri).toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a JWK set URL: " + jwkSetUri, e);
        }
        DefaultResourceRetriever http = new DefaultResourceRetriever(2_000, 2_000, 256 * 1024);
        return new SigningKeys(() -> {
            Resource r = http.retrieveResource(url);
            return JWKSet.parse(r.getContent());
        }, refreshAfter, refetchGap, clock);
    }

    /**
     * Fetches the keys at start-up, in the background, trying again (1 s, doubling up to {@link #PREFETCH_RETRY_MAX})
     * until it has them: a process that has validated no token yet must not be left without keys by an
     * identity-provider outage that begins before its first request. Start-up never waits for it.
     */
    public void prefetch() {
        Thread.ofVirtual().name("signing-keys-prefetch").start(() -> {
            Duration wait = FIRST_FETCH_RETRY;
            while (keys == null) {
                try {
                    fetched(clock.instant());
                    return;
                } catch (IOException | ParseException | RuntimeException e) {
                    // not reachable yet: the first token would try again too
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(PREFETCH_RETRY_MAX) > 0 ? PREFETCH_RETRY_MAX : wait.multipliedBy(2);
            }
        });
    }

    /** Whether keys are held (fetched at least once). */
    public boolean isFetched() {
        return keys != null;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        JWKSet held = keys;
        Instant now = clock.instant();
        if (held == null) {
            held = firstFetch(now);
        } else if (now.isAfter(fetchedAt.plus(refreshAfter))) {
            refreshInBackground(now);
        }
        List<JWK> found = selector.select(held);
        if (found.isEmpty()) {
            if (mayRefetchForUnknownKey(now)) {
                found = selector.select(refetchForUnknownKey(now));
            } else if (unreachable) {
                throw new KeySourceException("the token names a key not held, and the issuer cannot be reached");
            }
        }
        return found;
    }

    /** No keys yet: one thread fetches, the others wait for it (nothing can be checked without keys). */
    private synchronized JWKSet firstFetch(Instant now) throws KeySourceException {
        JWKSet held = keys;
        if (held != null) {
            return held; // another thread fetched meanwhile
        }
        if (now.isBefore(lastFailedAttempt.plus(FIRST_FETCH_RETRY))) {
            // the provider just failed: answer at once rather than queue every request behind another
            // fetch attempt of up to 2 + 2 s each
            throw new KeySourceException("the issuer's signing keys cannot be fetched (failed a moment ago)");
        }
        try {
            return fetched(now);
        } catch (IOException | ParseException | RuntimeException e) {
            failed(now);
            throw new KeySourceException("the issuer's signing keys cannot be fetched", e);
        }
    }

    /**
     * The scheduled refresh, started by the request that finds it due and run beside it: at most one at a
     * time, and not again within {@code refetchGap} of a failure. A failure keeps the keys held.
     */
    private void refreshInBackground(Instant now) {
        if (now.isBefore(lastFailedAttempt.plus(refetchGap)) || !refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            refresher.execute(() -> {
                Instant started = clock.instant();
                try {
                    fetched(started);
                } catch (IOException | ParseException | RuntimeException e) {
                    failed(started); // outage: keep validating with the keys held
                } finally {
                    refreshing.set(false);
                }
            });
        } catch (RuntimeException rejected) {
            refreshing.set(false);
        }
    }

    private synchronized boolean mayRefetchForUnknownKey(Instant now) {
        if (now.isBefore(lastUnknownKeyRefetch.plus(refetchGap))) {
            return false;
        }
        lastUnknownKeyRefetch = now;
        return true;
    }

    /**
     * A key id not held: the issuer may have rotated. Asked on the request's thread (it cannot be answered
     * otherwise), by one request per {@code refetchGap}. If the issuer cannot be asked, the token cannot be
     * checked now.
     */
    private JWKSet refetchForUnknownKey(Instant now) throws KeySourceException {
        try {
            return fetched(now);
        } catch (IOException | ParseException | RuntimeException e) {
            failed(now);
            throw new KeySourceException("the token names a key not held, and the issuer cannot be reached", e);
        }
    }

    /** Fetches (outside any lock: the fetch may take its timeouts) and keeps the answer. */
    private JWKSet fetched(Instant now) throws IOException, ParseException {
        JWKSet fresh = fetcher.fetch();
        keys = fresh;
        fetchedAt = now;
        unreachable = false;
        return fresh;
    }

    private void failed(Instant now) {
        lastFailedAttempt = now;
        unreachable = true;
    }
}
