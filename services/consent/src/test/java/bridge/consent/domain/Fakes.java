package bridge.consent.domain;

import bridge.support.errors.ConflictException;
import bridge.support.identity.AgencyType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory stand-ins for the storage ports, for domain tests. */
final class Fakes {

    private Fakes() {
    }

    /** The demo directory, as in consent.yml. */
    static final AgencyDirectory AGENCIES = AgencyDirectory.of(Map.ofEntries(
            Map.entry("met-police", AgencyType.POLICE),
            Map.entry("north-probation", AgencyType.PROBATION),
            Map.entry("hmp-leeds", AgencyType.PRISON),
            Map.entry("leeds-magistrates", AgencyType.COURT),
            Map.entry("leeds-housing", AgencyType.HOUSING),
            Map.entry("leeds-nhs", AgencyType.HEALTH),
            Map.entry("forward-leeds", AgencyType.TREATMENT),
            Map.entry("change-grow-live", AgencyType.TREATMENT),
            Map.entry("dwp-leeds", AgencyType.BENEFITS),
            Map.entry("peer-navigators", AgencyType.PEER_SUPPORT),
            Map.entry("leeds-social-care", AgencyType.SOCIAL_CARE),
            Map.entry("bridge-platform", AgencyType.PLATFORM)));

    private static final Comparator<Consent> CREATED = Comparator.comparing(Consent::createdAt).thenComparing(Consent::id);

    static class Consents implements ConsentRepository {
        final Map<String, Consent> byKey = new HashMap<>();
        final Map<String, Consent> current = new LinkedHashMap<>();
        final Map<String, List<Consent>> history = new HashMap<>();

        @Override
        public synchronized Consent insertOnce(Consent consent, String key) {
            Consent stored = key == null ? consent : byKey.computeIfAbsent(key, k -> consent);
            if (stored == consent) {
                current.put(consent.id(), consent);
                history.computeIfAbsent(consent.id(), k -> new ArrayList<>()).add(consent);
                return consent;
            }
            return current.get(stored.id());
        }

        @Override
        public synchronized Optional<Consent> findById(String personId, String id) {
            return Optional.ofNullable(current.get(id)).filter(c -> c.personId().equals(personId));
        }

        synchronized List<Consent> findByPerson(String personId) {
            return current.values().stream().filter(c -> c.personId().equals(personId)).toList();
        }

        @Override
        public synchronized List<Consent> findVisible(String personId, String agency, AgencyType type, ConsentCursor after,
                                                      int limit) {
            return current.values().stream()
                    .filter(c -> c.personId().equals(personId))
                    .filter(c -> agency == null || c.recordedBy().agency().equals(agency) || c.namesAgency(agency)
                            || c.namesAgencyType(type))
                    .filter(c -> after == null || c.createdAt().isAfter(after.createdAt())
                            || (c.createdAt().equals(after.createdAt()) && c.id().compareTo(after.id()) > 0))
                    .sorted(CREATED).limit(limit).toList();
        }

        @Override
        public synchronized Consent replaceCurrent(Consent was, Consent next) {
            if (current.get(was.id()).version() != was.version()) {
                throw new ConflictException("CONCURRENT_CHANGE", "changed concurrently");
            }
            current.put(next.id(), next);
            history.get(next.id()).add(next);
            return next;
        }

        @Override
        public synchronized List<Consent> history(Consent c) {
            return List.copyOf(history.get(c.id()));
        }
    }

    /** Decision inputs read from the two fakes, counting reads. */
    static class Inputs implements DecisionInputs {
        final Consents consents;
        final LegalBases legalBases;
        int reads;

        Inputs(Consents consents, LegalBases legalBases) {
            this.consents = consents;
            this.legalBases = legalBases;
        }

        @Override
        public synchronized PersonRecords forPerson(String personId) {
            reads++;
            return new PersonRecords(consents.findByPerson(personId), legalBases.findByPerson(personId));
        }
    }

    static final class LegalBases implements LegalBasisRepository {
        final Map<String, LegalBasis> byKey = new HashMap<>();
        final Map<String, LegalBasis> byId = new LinkedHashMap<>();

        @Override
        public synchronized LegalBasis insertOnce(LegalBasis b, String key) {
            LegalBasis stored = key == null ? b : byKey.computeIfAbsent(key, k -> b);
            byId.putIfAbsent(stored.id(), stored);
            return stored;
        }

        @Override
        public synchronized Optional<LegalBasis> findById(String personId, String id) {
            return Optional.ofNullable(byId.get(id)).filter(b -> b.personId().equals(personId));
        }

        @Override
        public synchronized List<LegalBasis> findByPerson(String personId) {
            return byId.values().stream().filter(b -> b.personId().equals(personId)).toList();
        }

        @Override
        public synchronized List<LegalBasis> findPendingReview(ConsentCursor after, int limit) {
            return byId.values().stream().filter(b -> b.reviewState() == ReviewState.PENDING_REVIEW)
                    .filter(b -> after == null || b.createdAt().isAfter(after.createdAt())
                            || (b.createdAt().equals(after.createdAt()) && b.id().compareTo(after.id()) > 0))
                    .sorted(Comparator.comparing(LegalBasis::createdAt).thenComparing(LegalBasis::id))
                    .limit(limit).toList();
        }

        @Override
        public synchronized LegalBasis review(LegalBasis was, LegalBasis reviewed) {
            if (byId.get(was.id()).reviewState() != was.reviewState()) {
                throw new ConflictException("CONCURRENT_REVIEW", "reviewed concurrently");
            }
            byId.put(reviewed.id(), reviewed);
            return reviewed;
        }
    }

    static final class Audit implements AuditTrail {
        final List<AuditEntry> entries = new ArrayList<>();
        RuntimeException failWith;

        @Override
        public synchronized List<AuditEntry> append(List<AuditEvent> events) {
            if (failWith != null) {
                throw failWith;
            }
            List<AuditEntry> out = new ArrayList<>();
            for (AuditEvent e : events) {
                String previous = entries.isEmpty() ? AuditChain.GENESIS : entries.getLast().hash();
                AuditEntry entry = AuditChain.seal(entries.size() + 1, e, previous);
                entries.add(entry);
                out.add(entry);
            }
            return out;
        }

        @Override
        public synchronized AuditVerification verify() {
            AuditChain.Verifier v = new AuditChain.Verifier();
            for (AuditEntry e : entries) {
                if (!v.accept(e)) {
                    break;
                }
            }
            return v.result();
        }

        @Override
        public synchronized List<AuditEntry> aboutPerson(String personId, long before, int limit) {
            return entries.reversed().stream().filter(e -> e.event().personId().equals(personId))
                    .filter(e -> e.sequence() < before).limit(limit).toList();
        }
    }
}
