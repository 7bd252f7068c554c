package bridge.people.domain;

public record PersonName(String givenNames, String familyName) {
}
