package bridge.housing.domain;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The authorities whose systems this deployment is connected to (configuration: an authority
 * Bridge cannot reach is not one a worker may choose).
 */
public final class HousingAuthorities {

    private final Map<String, HousingAuthority> byCode = new TreeMap<>();

    public HousingAuthorities(Map<String, String> namesByCode) {
        namesByCode.forEach((code, name) -> byCode.put(code, new HousingAuthority(code, name)));
    }

    public Optional<HousingAuthority> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    public java.util.Collection<HousingAuthority> all() {
        return byCode.values();
    }
}
