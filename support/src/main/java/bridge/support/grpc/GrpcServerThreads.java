package bridge.support.grpc;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;

/**
 * The fixed pool a service's gRPC server runs calls on, instead of gRPC's default cached pool (one
 * more thread for every call that waits). Admission ({@link CallAdmission}) keeps the calls in
 * service below the thread count, so the queue holds only short tasks; it is bounded all the same.
 * Not itself an {@link Executor} bean, so Spring's own task executor is left as it is.
 */
public final class GrpcServerThreads implements DisposableBean {

    private final ThreadPoolExecutor pool;

    public GrpcServerThreads(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), factory);
        pool.allowCoreThreadTimeOut(true);
    }

    public Executor executor() {
        return pool;
    }

    /** Threads alive now (never more than the configured count). */
    public int threads() {
        return pool.getPoolSize();
    }

    @Override
    public void destroy() {
        pool.shutdown();
    }
}
