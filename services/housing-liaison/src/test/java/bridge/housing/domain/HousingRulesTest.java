package bridge.housing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class HousingRulesTest {

    static final LocalDate TODAY = LocalDate.of(2026, 3, 1);

    static NewHousingSituation valid() {
        return new NewHousingSituation(HousingStatus.NO_FIXED_ABODE, TODAY, "Leeds City Council", "Released without an address.");
    }

    static List<String> fields(NewHousingSituation s) {
        Violations v = new Violations();
        HousingRules.validate(s, TODAY, "housing_situation", v);
        try {
            v.throwIfAny();
            return List.of();
        } catch (InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
    }

    @Test
    void aCompleteSituationIsValid() {
        assertThat(fields(valid())).isEmpty();
        assertThat(fields(new NewHousingSituation(HousingStatus.ROUGH_SLEEPING, TODAY.minusYears(3), "", ""))).isEmpty();
        assertThat(fields(new NewHousingSituation(HousingStatus.ROUGH_SLEEPING, TODAY, null, null))).isEmpty();
    }

    @Test
    void needsAStatus() {
        assertThat(fields(new NewHousingSituation(null, TODAY, "", ""))).containsExactly("housing_situation.status");
    }

    @Test
    void startDateIsNotInTheFutureNorImplausiblyOld() {
        assertThat(fields(new NewHousingSituation(HousingStatus.HOSTEL, TODAY.plusDays(1), "", "")))
                .containsExactly("housing_situation.start_date");
        assertThat(fields(new NewHousingSituation(HousingStatus.HOSTEL, LocalDate.of(1899, 12, 31), "", "")))
                .containsExactly("housing_situation.start_date");
        assertThat(fields(new NewHousingSituation(HousingStatus.HOSTEL, LocalDate.of(1900, 1, 1), "", ""))).isEmpty();
    }

    @Test
    void textLimits() {
        assertThat(fields(new NewHousingSituation(HousingStatus.HOSTEL, TODAY, "x".repeat(200), "y".repeat(2000)))).isEmpty();
        assertThat(fields(new NewHousingSituation(HousingStatus.HOSTEL, TODAY, "x".repeat(201), "")))
                .containsExactly("housing_situation.local_authority");
        assertThat(fields(new NewHousingSituation(HousingStatus.HOSTEL, TODAY, "", "y".repeat(2001))))
                .containsExactly("housing_situation.note");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(fields(new NewHousingSituation(null, TODAY.plusDays(3), "x".repeat(201), "y".repeat(2001))))
                .containsExactly("housing_situation.status", "housing_situation.start_date",
                        "housing_situation.local_authority", "housing_situation.note");
    }
}
