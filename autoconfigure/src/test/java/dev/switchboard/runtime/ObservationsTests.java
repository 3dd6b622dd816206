package dev.switchboard.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import dev.switchboard.registry.Destination;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationsTests {

	@Test
	void makesNoObservationsWithANoOpRegistryOrOneWithoutHandlers() {
		assertThat(Observations.of(ObservationRegistry.NOOP)).isNull();
		assertThat(Observations.of(ObservationRegistry.create())).isNull();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new Started());
		assertThat(Observations.of(registry)).isNotNull();
	}

	@Test
	void leavesOutTheObservationsAPredicateRefusesAndCarriesNoHeadersForThem() {
		Started started = new Started();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(started)
			.observationPredicate((name, context) -> !name.startsWith("switchboard"));
		Map<String, String> headers = new HashMap<>();
		Observation send = Observations.of(registry)
			.send(Destination.connection("b.1"), "send", headers, Context.empty());
		send.stop();
		assertThat(send.isNoop()).isTrue();
		assertThat(started.names).isEmpty();
		assertThat(headers).isEmpty();
	}

	static final class Started implements ObservationHandler<Observation.Context> {

		final List<String> names = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Observation.Context context) {
			this.names.add(context.getName());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
