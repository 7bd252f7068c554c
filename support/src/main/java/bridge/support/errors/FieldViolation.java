package bridge.support.errors;

/**
 * One bad field of a request.
 *
 * @param field dotted path of proto field names from the request root, e.g. {@code person.date_of_birth}
 * @param description what is wrong, in words an integrator can act on
 */
public record FieldViolation(String field, String description) {
}
