package dev.switchboard;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

import dev.switchboard.autoconfigure.SwitchboardEmitterAutoConfiguration;
import dev.switchboard.registry.redis.RedisEmitter;

/**
 * The allowed dependencies between Switchboard's packages, as docs/architecture.md draws
 * them.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.switchboard");

	@Test
	void theApiDependsOnNothingElseOfSwitchboard() {
		ArchRuleDefinition.noClasses()
			.that()
			.resideInAnyPackage("dev.switchboard", "dev.switchboard.annotation")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.switchboard.handler..", "dev.switchboard.registry..", "dev.switchboard.runtime..",
					"dev.switchboard.autoconfigure..")
			.check(classes);
	}

	@Test
	void eachPackageDependsOnlyOnThoseBelowIt() {
		Architectures.layeredArchitecture()
			.consideringOnlyDependenciesInAnyPackage("dev.switchboard..")
			.layer("api")
			.definedBy("dev.switchboard", "dev.switchboard.annotation")
			.layer("handler SPI")
			.definedBy("dev.switchboard.handler")
			.layer("registry SPI")
			.definedBy("dev.switchboard.registry")
			.layer("handler support")
			.definedBy("dev.switchboard.handler.support")
			.layer("Redis registry")
			.definedBy("dev.switchboard.registry.redis")
			.layer("runtime")
			.definedBy("dev.switchboard.runtime")
			.layer("auto-configuration")
			.definedBy("dev.switchboard.autoconfigure")
			.whereLayer("auto-configuration")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("runtime")
			.mayOnlyBeAccessedByLayers("auto-configuration")
			.whereLayer("Redis registry")
			.mayOnlyBeAccessedByLayers("auto-configuration")
			.whereLayer("handler support")
			.mayOnlyBeAccessedByLayers("runtime", "auto-configuration")
			.whereLayer("registry SPI")
			.mayOnlyBeAccessedByLayers("Redis registry", "runtime", "auto-configuration")
			.whereLayer("handler SPI")
			.mayOnlyBeAccessedByLayers("handler support", "runtime", "auto-configuration")
			.check(classes);
	}

	// The send-only Switchboard of switchboard-emitter runs without WebFlux and Reactor
	// Netty's server: nothing it loads may refer to them, nor the API it implements.
	@Test
	void theEmitterAndTheSendingApiNeedNoWebFlux() {
		ArchRuleDefinition.noClasses()
			.that()
			.belongToAnyOf(SwitchboardEmitterAutoConfiguration.class, RedisEmitter.class, Switchboard.class,
					Recipients.class, SendResult.class, CloseReason.class, ConnectionInfo.class,
					DeliveryException.class, RegistryUnavailableException.class)
			.should()
			.transitivelyDependOnClassesThat()
			.resideInAnyPackage("org.springframework.web..", "org.springframework.http.server.reactive..",
					"org.springframework.boot.webflux..", "org.springframework.boot.reactor.netty..",
					"reactor.netty.http..")
			.check(classes);
	}

	@Test
	void noPackagesDependOnEachOther() {
		SlicesRuleDefinition.slices().matching("dev.switchboard.(**)").should().beFreeOfCycles().check(classes);
	}

}
