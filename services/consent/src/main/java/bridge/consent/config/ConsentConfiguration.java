package bridge.consent.config;

import bridge.consent.api.DecisionSetIssuer;
import bridge.consent.domain.AccessRecords;
import bridge.consent.domain.AgencyDirectory;
import bridge.consent.domain.AuditTrail;
import bridge.consent.domain.ConsentRepository;
import bridge.consent.domain.Consents;
import bridge.consent.domain.DecisionInputs;
import bridge.consent.domain.Decisions;
import bridge.consent.domain.LegalBases;
import bridge.consent.domain.LegalBasisRepository;
import bridge.consent.persistence.MongoAuditTrail;
import bridge.consent.persistence.MongoConsentRepository;
import bridge.consent.persistence.MongoDecisionInputs;
import bridge.consent.persistence.MongoDecisionKey;
import bridge.consent.persistence.MongoLegalBasisRepository;
import bridge.support.mongo.Ids;
import com.mongodb.client.MongoDatabase;
import java.security.KeyPair;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms together: the domain knows neither Spring, gRPC nor MongoDB. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ConsentProperties.class, DecisionSetProperties.class})
public class ConsentConfiguration {

    @Bean
    AgencyDirectory agencyDirectory(ConsentProperties props) {
        if (props.agencies().isEmpty()) {
            throw new IllegalStateException("bridge.consent.agencies must list the partner agencies (alias: TYPE)");
        }
        props.agencies().forEach((alias, type) -> {
            if (alias.isBlank() || type == null) {
                throw new IllegalStateException("bridge.consent.agencies: every agency needs an alias and a type");
            }
        });
        return AgencyDirectory.of(props.agencies());
    }

    /** The key that signs decision sets: configured, else the one every replica shares in the consent database. */
    @Bean
    DecisionSetIssuer decisionSetIssuer(DecisionSetProperties props, MongoDatabase db, Clock clock) {
        KeyPair key = props.configured() ? props.keyPair() : MongoDecisionKey.load(db, DecisionSetProperties::generate, clock);
        return new DecisionSetIssuer(key, props.expiry(), clock);
    }

    @Bean
    ConsentRepository consentRepository(MongoDatabase db) {
        return new MongoConsentRepository(db);
    }

    @Bean
    LegalBasisRepository legalBasisRepository(MongoDatabase db) {
        return new MongoLegalBasisRepository(db);
    }

    @Bean
    DecisionInputs decisionInputs(MongoDatabase db) {
        return new MongoDecisionInputs(db);
    }

    @Bean
    AuditTrail auditTrail(MongoDatabase db) {
        return new MongoAuditTrail(db);
    }

    @Bean
    Consents consents(ConsentRepository consents, AgencyDirectory agencies, Clock clock) {
        return new Consents(consents, agencies, clock, Ids::next);
    }

    @Bean
    LegalBases legalBases(LegalBasisRepository legalBases, AgencyDirectory agencies, Clock clock) {
        return new LegalBases(legalBases, agencies, clock, Ids::next);
    }

    @Bean
    Decisions decisions(DecisionInputs inputs, AuditTrail audit, Clock clock) {
        return new Decisions(inputs, audit, clock);
    }

    @Bean
    AccessRecords accessRecords(AuditTrail audit, DecisionInputs inputs) {
        return new AccessRecords(audit, inputs);
    }
}
