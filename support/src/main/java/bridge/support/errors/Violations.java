package bridge.support.errors;

import java.util.ArrayList;
import java.util.List;

/** Collects field violations while validating a request, then throws them all at once. */
public final class Violations {

    private final List<FieldViolation> list = new ArrayList<>();

    public Violations add(String field, String description) {
        list.add(new FieldViolation(field, description));
        return this;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** Throws {@link InvalidArgumentException} if anything was collected. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new InvalidArgumentException(list);
        }
    }
}
