package bridge.people.domain;

/** As the person describes themself; {@code null} on a person when not recorded. */
public enum Gender {
    FEMALE, MALE, OTHER
}
