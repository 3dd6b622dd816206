package dev.switchboard.handler.support;

import java.nio.ByteBuffer;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MessageCodecTests {

	private final JsonMapper mapper = new JsonMapper();

	private final MessageCodec codec = new MessageCodec(this.mapper, "kind");

	@Test
	void encodesStringsAsTextBytesAsBinaryAndTheRestAsJson() {
		assertThat(this.codec.encode("hi").isText()).isTrue();
		assertThat(this.codec.encode(new byte[] { 1 }).isText()).isFalse();
		assertThat(this.codec.encode(ByteBuffer.wrap(new byte[] { 1, 2 })).bytes()).containsExactly(1, 2);
		assertThat(this.codec.encode(Map.of("a", 1)).toString()).isEqualTo("{\"a\":1}");
	}

	@Test
	void addsTheRequestIdToObjectRepliesOnly() {
		OutboundMessage reply = this.codec.encodeReply(Map.of("a", 1), this.mapper.getNodeFactory().numberNode(3L));
		assertThat(reply.toString()).isEqualTo("{\"a\":1,\"id\":3}");
		assertThat(this.codec.encodeReply("text", this.mapper.getNodeFactory().numberNode(3L)).toString())
			.isEqualTo("text");
		assertThat(this.codec.encodeReply(java.util.List.of(1), this.mapper.getNodeFactory().numberNode(3L)).toString())
			.isEqualTo("[1]");
	}

	@Test
	void writesErrorRepliesWithTheWireShape() {
		assertThat(this.codec.encodeError(ErrorCode.RATE_LIMITED, "slow down", null).toString())
			.isEqualTo("{\"error\":\"slow down\",\"code\":\"rate-limited\"}");
	}

	@Test
	void readsTheConfiguredTypeFieldAndTheId() {
		RoutingInfo header = this.codec
			.inspect(InboundMessage.text("{\"kind\":\"say\",\"id\":\"a\",\"x\":{\"id\":1}}"));
		assertThat(header.jsonObject()).isTrue();
		assertThat(header.type()).isEqualTo("say");
		assertThat(header.id().asString()).isEqualTo("a");
		assertThat(this.codec.inspect(InboundMessage.text("{\"type\":\"say\"}")).type()).isNull();
	}

	@Test
	void tellsObjectsFromOtherTextAndFromMalformedJson() {
		assertThat(this.codec.inspect(InboundMessage.text("[1]")).jsonObject()).isFalse();
		assertThat(this.codec.inspect(InboundMessage.text("  {\"kind\":1}")).problem())
			.isEqualTo("'kind' must be a string");
		assertThat(this.codec.inspect(InboundMessage.text("{\"a\":1} {}")).problem())
			.isEqualTo("malformed JSON: unexpected content after the object");
		assertThat(this.codec.inspect(InboundMessage.text("{\"a\":1} trailing")).problem())
			.startsWith("malformed JSON: Unrecognized token 'trailing'");
		assertThat(this.codec.inspect(InboundMessage.text("{\"a\":")).problem()).startsWith("malformed JSON:");
		assertThat(this.codec.inspect(InboundMessage.binary("{}".getBytes())).jsonObject()).isFalse();
	}

	@Test
	void describesBindingProblemsByJsonPathWithoutJavaTypes() {
		assertThatExceptionOfType(ClientErrorException.class)
			.isThrownBy(() -> this.codec.read(InboundMessage.text("{\"items\":[{\"count\":\"x\"}]}"),
					this.codec.readerFor(Basket.class)))
			.withMessage("invalid value for field 'items[0].count'")
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(ErrorCode.BAD_REQUEST));
		assertThatExceptionOfType(ClientErrorException.class)
			.isThrownBy(() -> this.codec.read(InboundMessage.text("[1]"), this.codec.readerFor(Basket.class)))
			.withMessage("payload does not match the expected shape");
	}

	@Test
	void namesUnknownAndNullFieldsAndANullPayload() {
		MessageCodec strict = new MessageCodec(JsonMapper.builder()
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
					DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.build(), "kind");
		assertThatExceptionOfType(ClientErrorException.class)
			.isThrownBy(() -> strict.read(InboundMessage.text("{\"items\":[{\"count\":1,\"colour\":\"red\"}]}"),
					strict.readerFor(Basket.class)))
			.withMessage("unknown field 'items[0].colour'");
		assertThatExceptionOfType(ClientErrorException.class)
			.isThrownBy(() -> strict.read(InboundMessage.text("{\"label\":null}"), strict.readerFor(Label.class)))
			.withMessage("field 'label' must not be null");
		assertThatExceptionOfType(ClientErrorException.class)
			.isThrownBy(() -> this.codec.read(InboundMessage.text("null"), this.codec.readerFor(Basket.class)))
			.withMessage("payload must not be null")
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(ErrorCode.BAD_REQUEST));
	}

	@Test
	void readsABooleanIdAndIgnoresAnIdThatIsNotAScalar() {
		assertThat(this.codec.inspect(InboundMessage.text("{\"id\":true}")).id().asBoolean()).isTrue();
		assertThat(this.codec.inspect(InboundMessage.text("{\"id\":{\"a\":1}}")).id()).isNull();
		assertThat(this.codec.inspect(InboundMessage.text("{\"id\":[1]}")).id()).isNull();
		assertThat(this.codec.inspect(InboundMessage.text("{\"id\":null}")).id()).isNull();
	}

	record Basket(java.util.List<Item> items) {
	}

	record Item(int count) {
	}

	record Label(@JsonSetter(nulls = Nulls.FAIL) String label) {
	}

}
