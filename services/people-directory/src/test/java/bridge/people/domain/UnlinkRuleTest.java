package bridge.people.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import bridge.support.errors.BridgeException;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule of unlinking a silently linked registration (ADR 0007), and who may ask for it. */
class UnlinkRuleTest {

    static final Actor PRISON = new Actor("planner", "hmp-leeds", AgencyType.PRISON);
    static final Actor POLICE = new Actor("officer", "met-police", AgencyType.POLICE);
    static final Actor HOUSING = new Actor("adviser", "leeds-housing", AgencyType.HOUSING);
    static final Actor STEWARD = new Actor("steward-1", "bridge-platform", AgencyType.PLATFORM);
    static final Instant CREATED = Instant.parse("2026-01-05T09:00:00Z");
    static final Instant LINKED = Instant.parse("2026-02-10T10:00:00Z");
    static final Instant UNLINKED = Instant.parse("2026-03-01T12:00:00Z");
    static final Identifier NHS = new Identifier(IdentifierType.NHS_NUMBER, "9434765919", "");
    static final Identifier PNC = new Identifier(IdentifierType.PNC_ID, "86/1234567D", "");
    static final Identifier PRISON_REF = new Identifier(IdentifierType.AGENCY_CASE_REFERENCE, "HMP-1", "hmp-leeds");
    static final Identifier POLICE_REF = new Identifier(IdentifierType.AGENCY_CASE_REFERENCE, "MET-9", "met-police");

    static final LinkedRegistration POLICE_LINK = new LinkedRegistration(POLICE, List.of(NHS, PNC, POLICE_REF),
            new PersonName("Oswin", "Threlkeld"), List.of(new PersonName("Oz", "Threlkeld")), LocalDate.of(1968, 10, 3),
            List.of(new ContactDetail(ContactDetail.Method.PHONE, "07700900111", true, true)), Gender.MALE, LINKED);
    static final LinkedRegistration HOUSING_LINK = new LinkedRegistration(HOUSING, List.of(NHS),
            new PersonName("Oswin", "Threlkeld"), List.of(), LocalDate.of(1968, 10, 3), List.of(), null, LINKED.plusSeconds(60));

    /** The prison's record with the police and housing linked; the police's case reference came in on the record too. */
    static Person linked() {
        CareTeamMember prison = new CareTeamMember("hmp-leeds", AgencyType.PRISON, "registering agency", null, CREATED);
        CareTeamMember police = new CareTeamMember("met-police", AgencyType.POLICE, "custody officer",
                new LeadContact("DS Hale", "0113 000 0000", "hale@met.example"), LINKED);
        CareTeamMember housing = new CareTeamMember("leeds-housing", AgencyType.HOUSING, "registering agency", null, LINKED.plusSeconds(60));
        List<CareTeamEvent> history = List.of(
                new CareTeamEvent("hmp-leeds", AgencyType.PRISON, CareTeamEvent.Kind.JOINED, "registering agency", CREATED, PRISON, ""),
                new CareTeamEvent("met-police", AgencyType.POLICE, CareTeamEvent.Kind.JOINED, "registering agency", LINKED, POLICE, ""),
                new CareTeamEvent("leeds-housing", AgencyType.HOUSING, CareTeamEvent.Kind.JOINED, "registering agency",
                        LINKED.plusSeconds(60), HOUSING, ""),
                new CareTeamEvent("met-police", AgencyType.POLICE, CareTeamEvent.Kind.UPDATED, "custody officer",
                        LINKED.plusSeconds(120), POLICE, ""));
        return new Person("abcdefghijkmnpqrstuv", List.of(NHS, PRISON_REF, POLICE_REF), new PersonName("Oswin", "Threlkeld"),
                List.of(), LocalDate.of(1968, 10, 3), List.of(new ContactDetail(ContactDetail.Method.PHONE, "07700900555", true, true)),
                List.of(prison, police, housing), PRISON, CREATED, LINKED.plusSeconds(120), 4, Gender.MALE,
                List.of(POLICE_LINK, HOUSING_LINK), history, null);
    }

    @Test
    void theAgencysRegistrationBecomesItsOwnRecordExactlyAsItRegisteredIt() {
        Stewardship.Split split = Stewardship.split(linked(), POLICE_LINK, "newidnewidnewidnewid", STEWARD, "wrong PNC", UNLINKED);
        Person own = split.unlinked();
        assertThat(own.id()).isEqualTo("newidnewidnewidnewid");
        assertThat(own.registeredBy()).isEqualTo(POLICE);
        assertThat(own.identifiers()).containsExactly(NHS, PNC, POLICE_REF);
        assertThat(own.preferredName()).isEqualTo(new PersonName("Oswin", "Threlkeld"));
        assertThat(own.otherNames()).containsExactly(new PersonName("Oz", "Threlkeld"));
        assertThat(own.dateOfBirth()).isEqualTo(LocalDate.of(1968, 10, 3));
        assertThat(own.contactDetails()).extracting(ContactDetail::value).containsExactly("07700900111");
        assertThat(own.gender()).isEqualTo(Gender.MALE);
        assertThat(own.createdAt()).as("created when it was registered (and linked)").isEqualTo(LINKED);
        assertThat(own.updatedAt()).isEqualTo(UNLINKED);
        assertThat(own.version()).isEqualTo(1);
        assertThat(own.links()).isEmpty();
        assertThat(own.mergedInto()).isNull();
        assertThat(own.careTeam()).singleElement().satisfies(m -> {
            assertThat(m.agency()).isEqualTo("met-police");
            assertThat(m.role()).isEqualTo("custody officer");
            assertThat(m.leadContact().displayName()).isEqualTo("DS Hale");
        });
        assertThat(own.careTeamHistory()).extracting(e -> e.agency() + " " + e.kind())
                .containsExactly("met-police JOINED", "met-police UPDATED", "met-police UNLINKED");
        CareTeamEvent unlinked = own.careTeamHistory().get(2);
        assertThat(unlinked.actor()).isEqualTo(STEWARD);
        assertThat(unlinked.reason()).isEqualTo("wrong PNC");
        assertThat(unlinked.at()).isEqualTo(UNLINKED);
    }

    @Test
    void theRecordKeepsNothingOfTheAgencyButItsUnlinkedEvent() {
        Person before = linked();
        Person after = Stewardship.split(before, POLICE_LINK, "newidnewidnewidnewid", STEWARD, "wrong PNC", UNLINKED).remaining();
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.version()).isEqualTo(before.version() + 1);
        assertThat(after.updatedAt()).isEqualTo(UNLINKED);
        assertThat(after.links()).containsExactly(HOUSING_LINK);
        assertThat(after.careTeam()).extracting(CareTeamMember::agency).containsExactly("hmp-leeds", "leeds-housing");
        assertThat(after.careTeamHistory()).extracting(e -> e.agency() + " " + e.kind())
                .containsExactly("hmp-leeds JOINED", "leeds-housing JOINED", "met-police UNLINKED");
        assertThat(after.identifiers()).as("the registrar's own identifiers stay; the police's case reference goes")
                .containsExactly(NHS, PRISON_REF);
        // what the registrar recorded is untouched
        assertThat(after.preferredName()).isEqualTo(before.preferredName());
        assertThat(after.contactDetails()).isEqualTo(before.contactDetails());
        assertThat(after.registeredBy()).isEqualTo(PRISON);
        assertThat(after.createdAt()).isEqualTo(CREATED);
        assertThat(after.linkOf("met-police")).isEmpty();
        assertThat(after.hasCareTeamMember("met-police")).isFalse();
    }

    @Test
    void anAgencyThatLeftTheCareTeamGetsItsRecordWithoutAnEntryButWithItsHistory() {
        Person left = linked();
        List<CareTeamEvent> history = new java.util.ArrayList<>(left.careTeamHistory());
        history.add(new CareTeamEvent("met-police", AgencyType.POLICE, CareTeamEvent.Kind.LEFT, "custody officer",
                LINKED.plusSeconds(300), POLICE, "wrong person"));
        left = left.with(left.careTeam().stream().filter(m -> !m.agency().equals("met-police")).toList(), history,
                left.links(), left.identifiers(), LINKED.plusSeconds(300));
        Stewardship.Split split = Stewardship.split(left, POLICE_LINK, "newidnewidnewidnewid", STEWARD, "wrong PNC", UNLINKED);
        assertThat(split.unlinked().careTeam()).isEmpty();
        assertThat(split.unlinked().careTeamHistory()).extracting(CareTeamEvent::kind).containsExactly(
                CareTeamEvent.Kind.JOINED, CareTeamEvent.Kind.UPDATED, CareTeamEvent.Kind.LEFT, CareTeamEvent.Kind.UNLINKED);
        assertThat(split.unlinked().careTeamHistory().get(3).role()).isEmpty();
        assertThat(split.remaining().careTeamHistory()).filteredOn(e -> e.agency().equals("met-police"))
                .extracting(CareTeamEvent::kind).containsExactly(CareTeamEvent.Kind.UNLINKED);
    }

    @Test
    void theNewRecordsIdComesFromTheLinkSoEveryAttemptCreatesTheSameRecord() {
        assertThat(Stewardship.linkKey("abcdefghijkmnpqrstuv", POLICE_LINK))
                .isEqualTo(Stewardship.linkKey("abcdefghijkmnpqrstuv", POLICE_LINK))
                .isNotEqualTo(Stewardship.linkKey("abcdefghijkmnpqrstuv", HOUSING_LINK))
                .isNotEqualTo(Stewardship.linkKey("bbcdefghijkmnpqrstuv", POLICE_LINK));
    }

    /** A store that fails the test if it is touched at all. */
    private static PersonRepository untouchable() {
        return (PersonRepository) Proxy.newProxyInstance(PersonRepository.class.getClassLoader(),
                new Class<?>[] {PersonRepository.class}, (proxy, method, args) -> {
                    throw new AssertionError("the store was touched: " + method.getName());
                });
    }

    private static Stewardship stewardship(PersonRepository people) {
        return new Stewardship(people, Clock.fixed(UNLINKED, ZoneOffset.UTC), () -> "abcdefghijkmnpqrstuv", key -> "derivedderivedderive");
    }

    @Test
    void onlyStewardsMayUnlinkAndEveryoneElseIsRefusedBeforeAnythingIsRead() {
        for (Caller notSteward : List.of(new Caller("officer", "met-police", AgencyType.POLICE, Set.of("worker", "manager")),
                new Caller("op", "bridge-platform", AgencyType.PLATFORM, Set.of("platform-operator")))) {
            PermissionDeniedException e = catchThrowableOfType(PermissionDeniedException.class,
                    () -> stewardship(untouchable()).unlink(notSteward, "abcdefghijkmnpqrstuv", "met-police", "wrong", "r-1"));
            assertThat(e.reason()).isEqualTo("DATA_STEWARD_ONLY");
        }
    }

    @Test
    void badInputNamesTheFieldBeforeAnythingIsRead() {
        Caller dpo = new Caller("dpo", "bridge-platform", AgencyType.PLATFORM, Set.of("data-protection-officer"));
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
                () -> stewardship(untouchable()).unlink(dpo, "abcdefghijkmnpqrstuv", "", " ", "x".repeat(129)));
        assertThat(e.violations()).extracting(v -> v.field()).containsExactly("agency", "reason", "request_id");
        BridgeException bad = catchThrowableOfType(InvalidArgumentException.class,
                () -> stewardship(untouchable()).unlink(dpo, "abcdefghijkmnpqrstuv", "Met Police", "wrong", "r-1"));
        assertThat(bad.getMessage()).startsWith("agency:");
    }
}
