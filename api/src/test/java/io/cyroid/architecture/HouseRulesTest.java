package io.cyroid.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.Source;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.context.annotation.Configuration;

/**
 * The module boundaries that docs/architecture.md draws, stated as tests so that they stay true. Main code only:
 * the tests may reach across (a test of the api may look at the engine). This module's test classpath holds every
 * module, so one class sees them all.
 *
 * <pre>
 *   messages            io.cyroid.messages, io.cyroid.blueprint   the contracts; depends on no other module
 *   command-side        io.cyroid.range                           the Range aggregate
 *                       io.cyroid.catalog                         the Blueprint aggregate
 *                       io.cyroid.access                          the User aggregate (accounts and roles)
 *                       io.cyroid.console                         the ConsoleSession aggregate (audit of consoles)
 *   saga-provisioning   io.cyroid.provisioning                    the saga and the engine ports
 *                       io.cyroid.provisioning.docker             the docker-java adapter behind the ports
 *   query-side          io.cyroid.rangeview                       the range projection and read model
 *                       io.cyroid.blueprintview                   the blueprint projection and read model
 *                       io.cyroid.audit                           the audit projection and log
 *                       io.cyroid.directory                       the list of users
 *   api                 io.cyroid.api, io.cyroid.security, io.cyroid.store
 * </pre>
 */
@AnalyzeClasses(packages = "io.cyroid", importOptions = ImportOption.DoNotIncludeTests.class)
class HouseRulesTest {

    static final String[] MESSAGES = {"io.cyroid.messages..", "io.cyroid.blueprint.."};
    static final String[] COMMAND_SIDE = {"io.cyroid.range..", "io.cyroid.catalog..", "io.cyroid.access..",
        "io.cyroid.console.."};
    static final String PROVISIONING = "io.cyroid.provisioning..";
    static final String DOCKER_ADAPTER = "io.cyroid.provisioning.docker..";
    static final String[] QUERY_SIDE = {"io.cyroid.rangeview..", "io.cyroid.blueprintview..", "io.cyroid.audit..",
            "io.cyroid.directory.."};
    static final String[] API = {"io.cyroid.api..", "io.cyroid.security..", "io.cyroid.store.."};

    static final String[] SPRING_WEB = {"org.springframework.web..", "org.springframework.http..",
            "org.springframework.boot.web..", "org.springframework.security.."};
    static final String DOCKER_JAVA = "com.github.dockerjava..";
    static final String[] MONGO = {"org.springframework.data.mongodb..", "com.mongodb..", "org.bson.."};

    @ArchTest
    static final ArchRule onlyTheEngineAdapterUsesDockerJava = noClasses()
            .that().resideOutsideOfPackage(DOCKER_ADAPTER)
            .should().dependOnClassesThat().resideInAPackage(DOCKER_JAVA)
            .because("docker-java is the engine adapter's business (io.cyroid.provisioning.docker): everything else"
                    + " works through the ports RangeEngine and HostEngine, so that the engine can be faked in tests"
                    + " and replaced without touching the saga or the API");

    @ArchTest
    static final ArchRule theEngineAdapterIsReachedOnlyThroughItsPorts = noClasses()
            .that().resideOutsideOfPackage(DOCKER_ADAPTER)
            .and().areNotAnnotatedWith(Configuration.class)
            .should().dependOnClassesThat().resideInAPackage(DOCKER_ADAPTER)
            .because("the saga, the API and whatever else needs the engine use the ports RangeEngine and HostEngine"
                    + " (io.cyroid.provisioning); only the Spring configuration that wires the adapter names its"
                    + " classes");

    @ArchTest
    static final ArchRule theApiReachesTheEngineOnlyThroughItsPorts = noClasses()
            .that().resideInAnyPackage(API)
            .should().dependOnClassesThat().resideInAPackage(DOCKER_ADAPTER)
            .because("the api module knows the engine only as the ports RangeEngine and HostEngine: its tests that"
                    + " need no engine run on fakes of them (cyroid.provisioning.engine=none), with no Docker at all");

    @ArchTest
    static final ArchRule theCommandSideIsPlainDomainCode = noClasses()
            .that().resideInAnyPackage(COMMAND_SIDE)
            .should().dependOnClassesThat().resideInAnyPackage(SPRING_WEB)
            .orShould().dependOnClassesThat().resideInAnyPackage("reactor..", "io.netty..")
            .orShould().dependOnClassesThat().resideInAnyPackage(MONGO)
            .orShould().dependOnClassesThat().resideInAnyPackage(DOCKER_JAVA, PROVISIONING)
            .orShould().dependOnClassesThat().resideInAnyPackage(QUERY_SIDE)
            .orShould().dependOnClassesThat().resideInAnyPackage(API)
            .because("the Range and Blueprint aggregates decide on commands from its own events (docs/architecture.md, module"
                    + " command-side: messages and Axon only); HTTP, reactive streams, the read store and the engine"
                    + " are other modules' business");

    @ArchTest
    static final ArchRule theContractsDependOnNothingOfCyroidAndNoSpring = noClasses()
            .that().resideInAnyPackage(MESSAGES)
            .should().dependOnClassesThat(resideInAPackage("io.cyroid..").and(not(resideInAnyPackage(MESSAGES))))
            .orShould().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("messages holds every contract that crosses a module boundary and every module depends on it"
                    + " (docs/architecture.md: axon-modelling and Jackson only); a dependency back, or on Spring,"
                    + " would tie all of them to it");

    @ArchTest
    static final ArchRule theQuerySideKnowsOnlyTheContracts = noClasses()
            .that().resideInAnyPackage(QUERY_SIDE)
            .should().dependOnClassesThat().resideInAnyPackage(COMMAND_SIDE)
            .orShould().dependOnClassesThat().resideInAnyPackage(PROVISIONING, DOCKER_JAVA)
            .orShould().dependOnClassesThat().resideInAnyPackage(API)
            .orShould().dependOnClassesThat().resideInAnyPackage(SPRING_WEB)
            .because("the projection builds its read model from the events alone (docs/architecture.md, module"
                    + " query-side: messages, Axon, spring-data-mongodb); the api serves it over HTTP");

    @ArchTest
    static final ArchRule provisioningKnowsOnlyTheContracts = noClasses()
            .that().resideInAPackage(PROVISIONING)
            .should().dependOnClassesThat().resideInAnyPackage(COMMAND_SIDE)
            .orShould().dependOnClassesThat().resideInAnyPackage(QUERY_SIDE)
            .orShould().dependOnClassesThat().resideInAnyPackage(API)
            .orShould().dependOnClassesThat().resideInAnyPackage(SPRING_WEB)
            .because("the saga talks to the aggregate only through commands of the messages module, and serves no"
                    + " HTTP (docs/architecture.md, module saga-provisioning: messages, Axon, docker-java)");

    @ArchTest
    static final ArchRule modulesAreLayered = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("messages").definedBy(MESSAGES)
            .layer("command-side").definedBy(COMMAND_SIDE)
            .layer("saga-provisioning").definedBy(PROVISIONING)
            .layer("query-side").definedBy(QUERY_SIDE)
            .layer("api").definedBy(API)
            .whereLayer("api").mayNotBeAccessedByAnyLayer()
            .whereLayer("command-side").mayOnlyBeAccessedByLayers("api")
            .whereLayer("saga-provisioning").mayOnlyBeAccessedByLayers("api")
            .whereLayer("query-side").mayOnlyBeAccessedByLayers("api")
            .whereLayer("messages").mayOnlyBeAccessedByLayers("command-side", "saga-provisioning", "query-side",
                    "api")
            .ensureAllClassesAreContainedInArchitecture()
            .because("docs/architecture.md: the three middle modules depend only on messages, never on one another,"
                    + " and api assembles them all; a new package belongs to one of these modules (add it here and"
                    + " to the module table)");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("io.cyroid.(*)..")
            .should().beFreeOfCycles()
            .because("a cycle between packages makes them one unit that cannot be understood, tested or moved"
                    + " apart");

    @ArchTest
    static final ArchRule noPackageIsSplitAcrossModules = classes()
            .should(comeFromTheSameModuleAsTheRestOfTheirPackage())
            .because("each module owns its packages (docs/architecture.md): a package spread over two jars hides"
                    + " which module a class belongs to, and cannot become a Java module (split packages are"
                    + " refused by the module system)");

    /**
     * Every class of a package comes from one code source: one module's jar or classes folder. The code source is
     * the class file's location without the package path and file name.
     */
    static ArchCondition<JavaClass> comeFromTheSameModuleAsTheRestOfTheirPackage() {
        return new ArchCondition<>("come from the same module as the rest of their package") {

            private final Map<String, Set<String>> modulesOfPackage = new TreeMap<>();

            @Override
            public void init(Collection<JavaClass> allClasses) {
                allClasses.forEach(c -> modulesOfPackage.computeIfAbsent(c.getPackageName(), p -> new TreeSet<>())
                        .add(codeSource(c)));
            }

            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                Set<String> modules = modulesOfPackage.get(javaClass.getPackageName());
                boolean split = modules.size() > 1;
                events.add(new SimpleConditionEvent(javaClass, !split, String.format(
                        "package %s of %s is split across %s (this class from %s)", javaClass.getPackageName(),
                        javaClass.getName(), modules, codeSource(javaClass))));
            }
        };
    }

    /** The jar or classes folder a class was imported from. */
    static String codeSource(JavaClass javaClass) {
        Optional<URI> location = javaClass.getSource().map(Source::getUri);
        if (location.isEmpty()) {
            return "(unknown source)";
        }
        String uri = location.get().toString();
        int inJar = uri.indexOf("!/");
        if (inJar >= 0) {
            return uri.substring(0, inJar);
        }
        String classFile = javaClass.getName().replace('.', '/') + ".class";
        // a nested class's file is Outer$Inner.class, which its name already says
        return uri.endsWith(classFile) ? uri.substring(0, uri.length() - classFile.length()) : uri;
    }
}
