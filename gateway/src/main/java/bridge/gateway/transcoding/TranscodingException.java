package bridge.gateway.transcoding;

/**
 * A request that cannot be turned into a gRPC request message: the caller's fault (HTTP 400).
 *
 * <p>{@link #field()} is the dotted path of proto field names (snake_case) leading to the
 * offending value, with 0-based indices for list elements and quoted keys for map entries,
 * e.g. {@code person.date_of_birth.month}, {@code person.identifiers[1].type},
 * {@code echo.labels["team"]}; an unknown JSON key or query parameter is named as the caller
 * wrote it ({@code person.nickname}); {@code ""} when the body as a whole is bad (malformed
 * JSON, not an object, a body where none is accepted). {@link #description()} is a short,
 * caller-facing sentence fragment: it never contains Java class names or stack traces. This
 * maps one-to-one onto a {@code google.rpc.BadRequest.FieldViolation} (field, description,
 * reason).
 *
 * <p>No stack trace is captured: these are cheap to throw for bad input.
 */
public final class TranscodingException extends RuntimeException {

  /** Why the request was rejected; UPPER_SNAKE_CASE, usable as a FieldViolation reason. */
  public enum Reason {
    /** The body is not well-formed JSON (or not UTF-8); field is "". */
    MALFORMED_JSON,
    /** A body was sent to a method that takes none; field is "". */
    UNEXPECTED_BODY,
    /** A JSON key or query parameter names no field. */
    UNKNOWN_FIELD,
    /** The same field is given twice (duplicate JSON key, both JSON and proto name, repeated
     *  query parameter for a singular field). */
    DUPLICATE_FIELD,
    /** A value of the wrong type or format, an unknown enum name, a JSON value that is not an
     *  object where a message is needed, two members of one oneof. */
    INVALID_VALUE,
    /** A query parameter for a field that cannot be set that way: bound by the path, part of
     *  the body, a message, map or repeated message, or any parameter for body "*" methods. */
    FIELD_NOT_SETTABLE,
    /** The Idempotency-Key header and the request_id field disagree. */
    IDEMPOTENCY_KEY_MISMATCH
  }

  private final String field;
  private final String description;
  private final Reason reason;

  public TranscodingException(String field, String description, Reason reason) {
    super(field == null || field.isEmpty() ? description : field + ": " + description, null, false, false);
    this.field = field == null ? "" : field;
    this.description = description;
    this.reason = reason;
  }

  /** Dotted proto field path, or "" when the body as a whole is bad. */
  public String field() {
    return field;
  }

  /** What is wrong, for the caller. */
  public String description() {
    return description;
  }

  public Reason reason() {
    return reason;
  }
}
