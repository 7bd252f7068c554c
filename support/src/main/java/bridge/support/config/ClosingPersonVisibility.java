package bridge.support.config;

import bridge.support.people.PersonVisibility;
import io.grpc.ManagedChannel;
import org.springframework.beans.factory.DisposableBean;

/** Closes the channel to the people directory with the application context. */
final class ClosingPersonVisibility implements PersonVisibility, DisposableBean {

    private final PersonVisibility delegate;
    private final ManagedChannel channel;

    ClosingPersonVisibility(PersonVisibility delegate, ManagedChannel channel) {
        this.delegate = delegate;
        this.channel = channel;
    }

    @Override
    public boolean isVisible(String personId) {
        return delegate.isVisible(personId);
    }

    @Override
    public void destroy() {
        channel.shutdownNow();
    }
}
