package bridge.housing.domain;

/** What a caller supplies when accommodation is secured; {@code type} null when unspecified. */
public record NewAccommodation(HousingStatus type, String securedBy, String note) {
}
