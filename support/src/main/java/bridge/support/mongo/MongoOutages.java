package bridge.support.mongo;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/**
 * Which driver failures mean "the database cannot be reached right now" (stopped, unreachable, failing
 * over): the request did not complete and may be retried, so callers get UNAVAILABLE, not INTERNAL.
 */
public final class MongoOutages {

    private MongoOutages() {
    }

    public static boolean isOutage(Throwable e) {
        return e instanceof MongoTimeoutException
                || e instanceof MongoSocketException
                || e instanceof MongoServerUnavailableException
                || e instanceof MongoConnectionPoolClearedException
                || e instanceof MongoNotPrimaryException
                || e instanceof MongoNodeIsRecoveringException;
    }
}
