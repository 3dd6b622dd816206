package dev.switchboard.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.annotation.MergedAnnotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Reads Switchboard's auto-configurations as an application without Boot's optional
 * modules would: their ordering must not name a class of a module that is absent, which
 * makes Spring log a warning at every start.
 */
@ExtendWith(OutputCaptureExtension.class)
class OptionalModulesTests {

	private static final List<String> OPTIONAL = List.of("org.springframework.boot.validation.",
			"org.springframework.boot.micrometer.", "org.springframework.boot.data.redis.",
			"org.springframework.boot.actuate.", "org.springframework.boot.health.", "org.springframework.data.redis.",
			"jakarta.validation.", "io.micrometer.");

	@Test
	void orderTheCoreWithoutAnyOptionalModule(CapturedOutput output) throws Exception {
		readOrdering(SwitchboardAutoConfiguration.class, OPTIONAL);
		assertThat(output).doesNotContain("Failed to introspect");
	}

	// Read only when Spring Data Redis is there: its class condition is checked from
	// metadata, before the class is loaded.
	@Test
	void orderTheRedisRegistryWithoutTheOtherOptionalModules(CapturedOutput output) throws Exception {
		readOrdering(SwitchboardRedisAutoConfiguration.class,
				OPTIONAL.stream().filter((module) -> !module.contains(".redis.")).toList());
		assertThat(output).doesNotContain("Failed to introspect");
	}

	private static void readOrdering(Class<?> configuration, List<String> absent) throws ClassNotFoundException {
		Class<?> alone = new WithoutModules(absent).loadClass(configuration.getName());
		assertThat(alone.getClassLoader()).isInstanceOf(WithoutModules.class);
		AutoConfiguration ordering = alone.getAnnotation(AutoConfiguration.class);
		assertThatCode(() -> List.of(ordering.after(), ordering.before())).as(configuration.getName())
			.doesNotThrowAnyException();
		// As Spring reads it, which logs what it cannot read.
		MergedAnnotations.from(alone).get(AutoConfiguration.class).asMap();
	}

	/**
	 * Defines Switchboard's classes itself, so that the classes they name are looked up
	 * through it, and finds no class of the modules it is told are absent.
	 */
	private static final class WithoutModules extends ClassLoader {

		private final List<String> absent;

		WithoutModules(List<String> absent) {
			super(OptionalModulesTests.class.getClassLoader());
			this.absent = absent;
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			synchronized (getClassLoadingLock(name)) {
				if (this.absent.stream().anyMatch(name::startsWith)) {
					throw new ClassNotFoundException(name + " is in an optional module");
				}
				if (!name.startsWith("dev.switchboard.")) {
					return super.loadClass(name, resolve);
				}
				Class<?> loaded = findLoadedClass(name);
				if (loaded != null) {
					return loaded;
				}
				try (InputStream bytes = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
					if (bytes == null) {
						throw new ClassNotFoundException(name);
					}
					byte[] code = bytes.readAllBytes();
					return defineClass(name, code, 0, code.length);
				}
				catch (IOException ex) {
					throw new ClassNotFoundException(name, ex);
				}
			}
		}

	}

}
