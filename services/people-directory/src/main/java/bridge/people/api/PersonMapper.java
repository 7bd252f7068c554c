package bridge.people.api;

import bridge.people.domain.CareTeamEvent;
import bridge.people.domain.CareTeamMember;
import bridge.people.domain.LeadContact;
import bridge.people.domain.ContactDetail;
import bridge.people.domain.Identifier;
import bridge.people.domain.IdentifierType;
import bridge.people.domain.NewPerson;
import bridge.people.domain.Person;
import bridge.people.domain.PersonName;
import bridge.people.domain.PersonView;
import bridge.proto.people.v1.ContactMethod;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Contract types to domain records and back. */
final class PersonMapper {

    private PersonMapper() {
    }

    static NewPerson toNewPerson(bridge.proto.people.v1.Person p, Violations v) {
        List<Identifier> ids = new ArrayList<>();
        for (int i = 0; i < p.getIdentifiersCount(); i++) {
            var id = p.getIdentifiers(i);
            IdentifierType type = identifierType(id.getType()); // null: "type is required" by the rules
            ids.add(new Identifier(type, id.getValue(), id.getIssuingAgency()));
        }
        LocalDate dob = p.hasDateOfBirth() ? ProtoMapping.localDate(p.getDateOfBirth(), "person.date_of_birth", v) : null;
        List<ContactDetail> contacts = p.getContactDetailsList().stream().map(c -> new ContactDetail(
                switch (c.getMethod()) {
                    case CONTACT_METHOD_PHONE -> ContactDetail.Method.PHONE;
                    case CONTACT_METHOD_EMAIL -> ContactDetail.Method.EMAIL;
                    case CONTACT_METHOD_POSTAL_ADDRESS -> ContactDetail.Method.POSTAL_ADDRESS;
                    default -> null;
                }, c.getValue(), c.getSafeToContact(), c.getPreferred())).toList();
        return new NewPerson(ids,
                p.hasPreferredName() ? name(p.getPreferredName()) : null,
                p.getOtherNamesList().stream().map(PersonMapper::name).toList(),
                dob, contacts, gender(p.getGender()));
    }

    static bridge.people.domain.Gender gender(bridge.proto.people.v1.Gender g) {
        return switch (g) {
            case GENDER_FEMALE -> bridge.people.domain.Gender.FEMALE;
            case GENDER_MALE -> bridge.people.domain.Gender.MALE;
            case GENDER_OTHER -> bridge.people.domain.Gender.OTHER;
            default -> null;
        };
    }

    static IdentifierType identifierType(bridge.proto.people.v1.IdentifierType t) {
        return switch (t) {
            case IDENTIFIER_TYPE_NHS_NUMBER -> IdentifierType.NHS_NUMBER;
            case IDENTIFIER_TYPE_CHI_NUMBER -> IdentifierType.CHI_NUMBER;
            case IDENTIFIER_TYPE_NATIONAL_INSURANCE_NUMBER -> IdentifierType.NATIONAL_INSURANCE_NUMBER;
            case IDENTIFIER_TYPE_PNC_ID -> IdentifierType.PNC_ID;
            case IDENTIFIER_TYPE_PRISON_NUMBER -> IdentifierType.PRISON_NUMBER;
            case IDENTIFIER_TYPE_CRO_NUMBER -> IdentifierType.CRO_NUMBER;
            case IDENTIFIER_TYPE_AGENCY_CASE_REFERENCE -> IdentifierType.AGENCY_CASE_REFERENCE;
            default -> null;
        };
    }

    /**
     * The person as one caller sees them. The etag is a digest of exactly what is shown, so that
     * changes the caller may not see (another agency joining, say) do not show through it.
     */
    static bridge.proto.people.v1.Person toProto(PersonView view) {
        var p = view.person();
        var b = toProto(p).toBuilder();
        view.withheld().stream().sorted().forEach(c -> b.addWithheldCategories(ProtoMapping.category(c)));
        return b.setEtag(etag(b.build().toByteArray())).build();
    }

    private static String etag(byte[] shown) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(shown);
            return "W/\"" + java.util.HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static bridge.proto.people.v1.Person toProto(Person p) {
        var b = bridge.proto.people.v1.Person.newBuilder()
                .setName("people/" + p.id())
                .setPreferredName(name(p.preferredName()))
                .setCreateTime(ProtoMapping.timestamp(p.createdAt()))
                .setUpdateTime(ProtoMapping.timestamp(p.updatedAt()));
        if (p.registeredBy() != null) {
            b.setRegisteredBy(ProtoMapping.actor(p.registeredBy()));
        }
        for (Identifier i : p.identifiers()) {
            b.addIdentifiersBuilder()
                    .setType(bridge.proto.people.v1.IdentifierType.valueOf("IDENTIFIER_TYPE_" + i.type().name()))
                    .setValue(i.value())
                    .setIssuingAgency(i.issuingAgency() == null ? "" : i.issuingAgency());
        }
        p.otherNames().forEach(n -> b.addOtherNames(name(n)));
        if (p.dateOfBirth() != null) {
            b.setDateOfBirth(ProtoMapping.date(p.dateOfBirth()));
        }
        if (p.gender() != null) {
            b.setGender(bridge.proto.people.v1.Gender.valueOf("GENDER_" + p.gender().name()));
        }
        for (ContactDetail c : p.contactDetails()) {
            b.addContactDetailsBuilder().setMethod(ContactMethod.valueOf("CONTACT_METHOD_" + c.method().name()))
                    .setValue(c.value()).setSafeToContact(c.safeToContact()).setPreferred(c.preferred());
        }
        for (CareTeamMember m : p.careTeam()) {
            b.addCareTeam(member(p.id(), m));
        }
        return b.build();
    }

    static bridge.proto.people.v1.CareTeamMember member(String personId, CareTeamMember m) {
        return bridge.proto.people.v1.CareTeamMember.newBuilder()
                .setName("people/" + personId + "/careTeam/" + m.agency())
                .setAgency(m.agency()).setAgencyType(ProtoMapping.agencyType(m.agencyType()))
                .setRole(m.role()).setLeadContact(leadContact(m.leadContact()))
                .setJoinTime(ProtoMapping.timestamp(m.joinedAt())).build();
    }

    static bridge.proto.people.v1.LeadContact leadContact(LeadContact c) {
        return bridge.proto.people.v1.LeadContact.newBuilder().setDisplayName(c.displayName()).setPhone(c.phone())
                .setEmail(c.email()).build();
    }

    static LeadContact leadContact(bridge.proto.people.v1.LeadContact c) {
        return new LeadContact(c.getDisplayName(), c.getPhone(), c.getEmail());
    }

    static bridge.proto.people.v1.CareTeamEvent event(CareTeamEvent e) {
        var b = bridge.proto.people.v1.CareTeamEvent.newBuilder().setAgency(e.agency())
                .setAgencyType(ProtoMapping.agencyType(e.agencyType()))
                .setKind(bridge.proto.people.v1.CareTeamEventKind.valueOf("CARE_TEAM_EVENT_KIND_" + e.kind().name()))
                .setRole(e.role()).setTime(ProtoMapping.timestamp(e.at())).setReason(e.reason());
        if (e.actor() != null) {
            b.setActor(ProtoMapping.actor(e.actor()));
        }
        return b.build();
    }

    private static PersonName name(bridge.proto.people.v1.PersonName n) {
        return new PersonName(n.getGivenNames(), n.getFamilyName());
    }

    private static bridge.proto.people.v1.PersonName name(PersonName n) {
        return bridge.proto.people.v1.PersonName.newBuilder()
                .setGivenNames(n.givenNames() == null ? "" : n.givenNames())
                .setFamilyName(n.familyName() == null ? "" : n.familyName()).build();
    }
}
