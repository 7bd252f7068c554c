package bridge.support.errors;

import java.util.List;

/** The request is malformed; nothing was written. Carries every violation found, not just the first. */
public final class InvalidArgumentException extends BridgeException {

    private final List<FieldViolation> violations;

    public InvalidArgumentException(List<FieldViolation> violations) {
        super("INVALID_ARGUMENT", summary(violations));
        this.violations = List.copyOf(violations);
    }

    public static InvalidArgumentException of(String field, String description) {
        return new InvalidArgumentException(List.of(new FieldViolation(field, description)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    private static String summary(List<FieldViolation> violations) {
        if (violations.isEmpty()) {
            return "invalid request";
        }
        FieldViolation first = violations.getFirst();
        String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
        return first.field() + ": " + first.description() + more;
    }
}
