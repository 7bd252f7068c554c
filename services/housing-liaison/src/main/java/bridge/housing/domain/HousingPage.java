package bridge.housing.domain;

import java.util.List;

/**
 * One page of a person's housing history as the caller may see it.
 *
 * @param nextPageToken      empty on the last page
 * @param withheldFromCaller true when other agencies hold housing records about the person that
 *                           were not returned (the caller learns the category exists, never its content)
 * @param tenancyAtRisk      the newest situation the caller may see is a residential rehab stay
 *                           that followed a tenancy (see {@link HousingHistory#tenancyAtRisk})
 */
public record HousingPage(List<HousingSituation> situations, String nextPageToken, boolean withheldFromCaller,
                          boolean tenancyAtRisk) {

    public HousingPage {
        situations = List.copyOf(situations);
    }
}
