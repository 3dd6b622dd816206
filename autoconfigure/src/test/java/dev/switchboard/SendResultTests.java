package dev.switchboard;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code SendResult} in JSON, as a controller returns it (docs/sending.md, What a send
 * returns).
 */
class SendResultTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void writesTheCountsAndWhetherNobodyWasConnected() {
		assertThat(this.mapper.writeValueAsString(new SendResult(1, 0)))
			.isEqualTo("{\"reached\":1,\"instances\":0,\"dropped\":0,\"notConnected\":false}");
		assertThat(this.mapper.writeValueAsString(SendResult.NOT_CONNECTED))
			.isEqualTo("{\"reached\":0,\"instances\":0,\"dropped\":0,\"notConnected\":true}");
	}

	@Test
	void readsWhatItWrites() {
		SendResult result = new SendResult(2, 1, 1);
		assertThat(this.mapper.readValue(this.mapper.writeValueAsString(result), SendResult.class)).isEqualTo(result);
	}

	@Test
	void addsTwoResultsCountByCount() {
		assertThat(new SendResult(2, 1, 1).plus(new SendResult(1, 3, 0))).isEqualTo(new SendResult(3, 4, 1));
		assertThat(SendResult.NOT_CONNECTED.plus(SendResult.NOT_CONNECTED).notConnected()).isTrue();
	}

}
