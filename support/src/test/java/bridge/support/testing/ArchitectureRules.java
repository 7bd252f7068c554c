package bridge.support.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rooms every service has, and what may not cross between them: {@code domain} (records and
 * rules) imports neither gRPC, protobuf, generated contract types nor MongoDB; only {@code api}
 * sees generated types; {@code persistence} is the only room that talks to MongoDB.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    public static void check(String servicePackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage);
        String domain = servicePackage + ".domain..";
        ArchRule domainIsPure = noClasses().that().resideInAPackage(domain)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.grpc..", "com.google.protobuf..", "com.google.rpc..", "bridge.proto..",
                        "com.mongodb..", "org.bson..", "org.springframework..")
                .because("domain holds records and rules only; adapters live in api and persistence");
        ArchRule onlyApiSeesContract = noClasses().that().resideOutsideOfPackage(servicePackage + ".api..")
                .should().dependOnClassesThat().resideInAPackage("bridge.proto..")
                .because("api is the only place that sees generated types");
        ArchRule onlyPersistenceSeesMongo = noClasses().that().resideOutsideOfPackages(
                        servicePackage + ".persistence..", servicePackage + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage("com.mongodb..", "org.bson..")
                .because("persistence owns the service's database");
        domainIsPure.check(classes);
        onlyApiSeesContract.check(classes);
        onlyPersistenceSeesMongo.check(classes);
    }
}
