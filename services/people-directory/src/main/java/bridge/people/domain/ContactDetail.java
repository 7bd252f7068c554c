package bridge.people.domain;

/** A way to reach the person; {@code safeToContact} false when using it could put them at risk. */
public record ContactDetail(Method method, String value, boolean safeToContact, boolean preferred) {

    public enum Method { PHONE, EMAIL, POSTAL_ADDRESS }
}
