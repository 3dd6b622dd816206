package dev.switchboard.registry;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.switchboard.registry.StreamHistory.Entry;
import dev.switchboard.registry.StreamHistory.Limits;
import dev.switchboard.registry.StreamHistory.Position;
import dev.switchboard.registry.StreamHistory.Read;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryStreamHistoryTests {

	private static final Limits LIMITS = new Limits(3, Duration.ofSeconds(10));

	private final MovingClock clock = new MovingClock();

	private final InMemoryStreamHistory history = new InMemoryStreamHistory(this.clock);

	@Test
	void givesEachMessageTheNextOffsetOfOneEpoch() {
		Position first = append("a");
		Position second = append("b");
		assertThat(first.offset()).isEqualTo(1);
		assertThat(second).isEqualTo(new Position(first.epoch(), 2));
		assertThat(first.epoch()).isNotEmpty();
	}

	@Test
	void readsTheMessagesAfterAPositionOldestFirst() {
		Position first = append("a");
		append("b");
		append("c");
		Read read = this.history.read("room:r", first, LIMITS).block();
		assertThat(read.complete()).isTrue();
		assertThat(read.top()).isEqualTo(new Position(first.epoch(), 3));
		assertThat(read.entries()).extracting(Entry::offset).containsExactly(2L, 3L);
		assertThat(read.entries()).extracting((entry) -> new String(entry.message(), StandardCharsets.UTF_8))
			.containsExactly("b", "c");
	}

	@Test
	void keepsAtMostItsSizeAndCannotRecoverAPositionBeforeThem() {
		Position first = append("a");
		append("b");
		append("c");
		append("d");
		Read read = this.history.read("room:r", first, LIMITS).block();
		assertThat(read.complete()).isTrue();
		assertThat(read.entries()).extracting(Entry::offset).containsExactly(2L, 3L, 4L);
		Read tooOld = this.history.read("room:r", new Position(first.epoch(), 0), LIMITS).block();
		assertThat(tooOld.complete()).isFalse();
		assertThat(tooOld.entries()).isEmpty();
		assertThat(tooOld.top().offset()).isEqualTo(4);
	}

	@Test
	void keepsMessagesForAtMostTheirAgeAndCannotRecoverAPositionBeforeThem() {
		Position first = append("a");
		this.clock.advance(Duration.ofSeconds(6));
		append("b");
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.history.read("room:r", first, LIMITS).block().complete()).isTrue();
		assertThat(this.history.read("room:r", new Position(first.epoch(), 0), LIMITS).block().complete()).isFalse();
		this.clock.advance(Duration.ofSeconds(6));
		Read expired = this.history.read("room:r", first, LIMITS).block();
		assertThat(expired.complete()).isFalse();
		assertThat(expired.top().offset()).isEqualTo(2);
		Read current = this.history.read("room:r", new Position(first.epoch(), 2), LIMITS).block();
		assertThat(current.complete()).isTrue();
		assertThat(current.entries()).isEmpty();
	}

	@Test
	void cannotRecoverAPositionOfAnotherEpochOrBeyondTheLastMessage() {
		Position first = append("a");
		assertThat(this.history.read("room:r", new Position("other", 1), LIMITS).block().complete()).isFalse();
		assertThat(this.history.read("room:r", new Position(first.epoch(), 5), LIMITS).block().complete()).isFalse();
	}

	@Test
	void readsAStreamWithoutMessagesAsBeforeTheFirst() {
		Read read = this.history.read("room:empty", null, LIMITS).block();
		assertThat(read.top()).isEqualTo(Position.NONE);
		assertThat(read.complete()).isTrue();
		Position first = this.history.append("room:empty", LIMITS, "a".getBytes(StandardCharsets.UTF_8)).block();
		Read fromTheStart = this.history.read("room:empty", Position.NONE, LIMITS).block();
		assertThat(fromTheStart.complete()).isTrue();
		assertThat(fromTheStart.entries()).extracting(Entry::offset).containsExactly(first.offset());
	}

	private Position append(String message) {
		return this.history.append("room:r", LIMITS, message.getBytes(StandardCharsets.UTF_8)).block();
	}

	private static final class MovingClock extends Clock {

		private Instant now = Instant.parse("2026-12-04T12:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
