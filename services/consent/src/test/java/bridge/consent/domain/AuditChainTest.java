package bridge.consent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.consent.domain.AuditVerification.Problem;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    static final AuditEvent EVENT = new AuditEvent(Instant.parse("2026-03-01T10:00:00Z"),
            new Actor("pc-1", "met-police", AgencyType.POLICE), "abcdefghijkmnpqrstuv", Purpose.RISK_MANAGEMENT,
            List.of(new Decision(DataCategory.RISK, true, null, 0, "lb1", null),
                    Decision.deny(DataCategory.MENTAL_HEALTH, DenyReason.HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT)),
            "req-1");

    @Test
    void theCanonicalEncodingIsTheDocumentedOne() {
        // written out by hand from the AuditChain class comment; the hash was computed outside Java (sha256sum)
        String expected = "15:bridge.audit.v1,1:1,13:1772359200000,4:pc-1,10:met-police,6:POLICE,20:abcdefghijkmnpqrstuv,"
                + "15:RISK_MANAGEMENT,5:req-1,1:2,"
                + "4:RISK,5:allow,0:,1:0,3:lb1,0:,"
                + "13:MENTAL_HEALTH,4:deny,0:,1:0,0:,41:HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT,"
                + "64:" + "0".repeat(64) + ",";
        assertThat(new String(AuditChain.canonical(1, EVENT, AuditChain.GENESIS), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(AuditChain.hash(1, EVENT, AuditChain.GENESIS))
                .isEqualTo("4a6ee84478e46e2b60db0184efa616563fe2e7e0b2c165a4c490829766494db9");
    }

    @Test
    void valuesCannotBeShiftedBetweenFields() {
        // "ab" + "c" and "a" + "bc" encode differently thanks to the length prefixes
        AuditEvent a = new AuditEvent(EVENT.time(), new Actor("ab", "c", AgencyType.POLICE), "p", Purpose.REFERRAL,
                List.of(), "");
        AuditEvent b = new AuditEvent(EVENT.time(), new Actor("a", "bc", AgencyType.POLICE), "p", Purpose.REFERRAL,
                List.of(), "");
        assertThat(AuditChain.hash(1, a, AuditChain.GENESIS)).isNotEqualTo(AuditChain.hash(1, b, AuditChain.GENESIS));
        // the sequence and the previous hash are part of what is hashed
        assertThat(AuditChain.hash(2, a, AuditChain.GENESIS)).isNotEqualTo(AuditChain.hash(1, a, AuditChain.GENESIS));
        assertThat(AuditChain.hash(1, a, "1".repeat(64))).isNotEqualTo(AuditChain.hash(1, a, AuditChain.GENESIS));
    }

    static List<AuditEntry> chain(int n) {
        List<AuditEntry> out = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditEvent e = new AuditEvent(EVENT.time().plusSeconds(i), EVENT.actor(), EVENT.personId(), EVENT.purpose(),
                    EVENT.decisions(), "req-" + i);
            AuditEntry entry = AuditChain.seal(i, e, previous);
            out.add(entry);
            previous = entry.hash();
        }
        return out;
    }

    static AuditVerification verify(List<AuditEntry> entries) {
        AuditChain.Verifier v = new AuditChain.Verifier();
        for (AuditEntry e : entries) {
            if (!v.accept(e)) {
                break;
            }
        }
        return v.result();
    }

    @Test
    void anIntactChainVerifies() {
        List<AuditEntry> c = chain(10);
        AuditVerification r = verify(c);
        assertThat(r.intact()).isTrue();
        assertThat(r.entriesChecked()).isEqualTo(10);
        assertThat(r.firstBadSequence()).isZero();
        assertThat(r.lastHash()).isEqualTo(c.getLast().hash());
        assertThat(verify(List.of()).intact()).isTrue();
    }

    @Test
    void reportsTheFirstAlteredRemovedOrReorderedEntry() {
        List<AuditEntry> altered = new ArrayList<>(chain(10));
        AuditEntry e = altered.get(4);
        AuditEvent changed = new AuditEvent(e.event().time(), e.event().actor(), e.event().personId(), e.event().purpose(),
                List.of(Decision.deny(DataCategory.HOUSING, DenyReason.NO_CONSENT)), e.event().requestId());
        altered.set(4, new AuditEntry(5, changed, e.previousHash(), e.hash()));
        AuditVerification r = verify(altered);
        assertThat(r.kind()).isEqualTo(Problem.ALTERED);
        assertThat(r.firstBadSequence()).isEqualTo(5);
        assertThat(r.entriesChecked()).isEqualTo(5);
        assertThat(r.lastHash()).isEqualTo(altered.get(3).hash());

        List<AuditEntry> removed = new ArrayList<>(chain(10));
        removed.remove(6);
        r = verify(removed);
        assertThat(r.kind()).isEqualTo(Problem.REMOVED);
        assertThat(r.firstBadSequence()).isEqualTo(7);
        assertThat(r.problem()).contains("entry 7 is missing");

        // two entries swapped, each keeping its content but taking the other's place (sequence)
        List<AuditEntry> c = chain(10);
        List<AuditEntry> swapped = new ArrayList<>(c);
        swapped.set(2, new AuditEntry(3, c.get(3).event(), c.get(3).previousHash(), c.get(3).hash()));
        swapped.set(3, new AuditEntry(4, c.get(2).event(), c.get(2).previousHash(), c.get(2).hash()));
        r = verify(swapped);
        assertThat(r.kind()).isEqualTo(Problem.REORDERED);
        assertThat(r.firstBadSequence()).isEqualTo(3);

        // an entry re-sealed with a new hash breaks the link from the next one
        List<AuditEntry> resealed = new ArrayList<>(c);
        resealed.set(5, AuditChain.seal(6, altered.get(4).event(), c.get(5).previousHash()));
        r = verify(resealed);
        assertThat(r.kind()).isEqualTo(Problem.REORDERED);
        assertThat(r.firstBadSequence()).isEqualTo(7);

        // the first entry is missing
        r = verify(c.subList(1, 10));
        assertThat(r.kind()).isEqualTo(Problem.REMOVED);
        assertThat(r.firstBadSequence()).isEqualTo(1);
    }

    @Test
    void anUnreadableEntryIsAltered() {
        List<AuditEntry> c = chain(3);
        AuditChain.Verifier v = new AuditChain.Verifier();
        assertThat(v.accept(c.get(0))).isTrue();
        assertThat(v.acceptUnreadable(2)).isFalse();
        assertThat(v.result().kind()).isEqualTo(Problem.ALTERED);
        assertThat(v.result().firstBadSequence()).isEqualTo(2);
    }
}
