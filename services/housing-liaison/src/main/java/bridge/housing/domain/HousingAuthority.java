package bridge.housing.domain;

/** A local housing authority Bridge can send duty-to-refer notices to, by its ONS GSS code. */
public record HousingAuthority(String code, String name) {
}
