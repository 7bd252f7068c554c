package bridge.consent.domain;

import java.util.List;

/** A person's current consents (current versions only) and legal bases: everything a decision reads. */
public record PersonRecords(List<Consent> consents, List<LegalBasis> legalBases) {

    public static final PersonRecords NONE = new PersonRecords(List.of(), List.of());

    public PersonRecords {
        consents = List.copyOf(consents);
        legalBases = List.copyOf(legalBases);
    }

    /** The agency recorded a consent or a legal basis for the person (in any state): it works with them. */
    public boolean anyRecordedBy(String agency) {
        return consents.stream().anyMatch(c -> c.recordedBy().agency().equals(agency))
                || legalBases.stream().anyMatch(b -> b.recordedBy().agency().equals(agency));
    }
}
