package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTests {

	@Test
	void takesABurstAtOnceAndNoMore() {
		TokenBucket bucket = new TokenBucket(1, 3);
		assertThat(bucket.tryTake()).isTrue();
		assertThat(bucket.tryTake()).isTrue();
		assertThat(bucket.tryTake()).isTrue();
		assertThat(bucket.tryTake()).isFalse();
	}

	@Test
	void countsABurstBelowOneAsOne() {
		TokenBucket bucket = new TokenBucket(1, 0);
		assertThat(bucket.tryTake()).isTrue();
		assertThat(bucket.tryTake()).isFalse();
	}

}
