package bridge.support.config;

import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import io.grpc.ManagedChannel;
import java.util.Collection;
import org.springframework.beans.factory.DisposableBean;

/** Closes the channel to the consent service with the application context. */
final class ClosingConsentDecisions implements ConsentDecisions, DisposableBean {

    private final ConsentDecisions delegate;
    private final ManagedChannel channel;

    ClosingConsentDecisions(ConsentDecisions delegate, ManagedChannel channel) {
        this.delegate = delegate;
        this.channel = channel;
    }

    @Override
    public Decisions decide(String personId, Collection<DataCategory> categories, Purpose purpose) {
        return delegate.decide(personId, categories, purpose);
    }

    @Override
    public void destroy() {
        channel.shutdownNow();
    }
}
