package dev.switchboard.handler.support;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;

/**
 * Reads and writes the wire format with the application's JSON mapper: routing headers of
 * inbound messages, payload binding, replies that carry the request's {@code id}, and
 * error replies whose text never contains server internals.
 *
 * @since 0.1.0
 */
public final class MessageCodec {

	private static final String ID_FIELD = "id";

	private final ObjectMapper mapper;

	private final String typeField;

	/**
	 * Creates a codec.
	 * @param mapper the JSON mapper
	 * @param typeField name of the field that routes JSON messages
	 */
	public MessageCodec(ObjectMapper mapper, String typeField) {
		this.mapper = mapper;
		this.typeField = typeField;
	}

	/**
	 * Name of the field that routes JSON messages.
	 * @return the field's name
	 */
	public String typeField() {
		return this.typeField;
	}

	/**
	 * Encodes a payload once for any number of recipients: a {@code String} as text, a
	 * {@code byte[]} or {@code ByteBuffer} as binary, an {@link OutboundMessage} as it
	 * is, anything else as JSON text.
	 * @param payload the payload
	 * @return the encoded message
	 */
	public OutboundMessage encode(Object payload) {
		if (payload instanceof OutboundMessage message) {
			return message;
		}
		if (payload instanceof String text) {
			return OutboundMessage.text(text);
		}
		if (payload instanceof byte[] bytes) {
			return OutboundMessage.binary(bytes);
		}
		if (payload instanceof ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.duplicate().get(bytes);
			return OutboundMessage.binary(bytes);
		}
		return OutboundMessage.text(this.mapper.writeValueAsBytes(payload));
	}

	/**
	 * Encodes a reply to a request; a JSON object reply gets the request's {@code id}
	 * unless it has its own.
	 * @param value the reply
	 * @param id the request's id, or {@code null}
	 * @return the encoded reply
	 */
	public OutboundMessage encodeReply(Object value, @Nullable JsonNode id) {
		return encodeReply(value, () -> id);
	}

	/**
	 * Encodes a reply to a request; a JSON object reply gets the request's {@code id}
	 * unless it has its own. The id is read only for a reply that may carry it.
	 * @param value the reply
	 * @param id reads the request's id, which may be {@code null}
	 * @return the encoded reply
	 */
	public OutboundMessage encodeReply(Object value, Supplier<@Nullable JsonNode> id) {
		if (value instanceof String || value instanceof byte[] || value instanceof ByteBuffer
				|| value instanceof OutboundMessage) {
			return encode(value);
		}
		return encodeWithId(value, id.get());
	}

	private OutboundMessage encodeWithId(Object value, @Nullable JsonNode id) {
		if (id == null) {
			return encode(value);
		}
		JsonNode tree = this.mapper.valueToTree(value);
		if (tree instanceof ObjectNode object && !object.has(ID_FIELD)) {
			object.set(ID_FIELD, id);
		}
		return OutboundMessage.text(this.mapper.writeValueAsBytes(tree));
	}

	/**
	 * Encodes an error reply {@code {"error": message, "code": code, "id": id}}.
	 * @param code the error code
	 * @param message the message for the client
	 * @param id the request's id, or {@code null}
	 * @return the encoded reply
	 */
	public OutboundMessage encodeError(ErrorCode code, String message, @Nullable JsonNode id) {
		ObjectNode error = this.mapper.createObjectNode();
		error.put("error", message);
		error.put("code", code.value());
		if (id != null) {
			error.set(ID_FIELD, id);
		}
		return OutboundMessage.text(this.mapper.writeValueAsBytes(error));
	}

	/**
	 * Reads what routing needs of a message: its type and id, without binding the rest.
	 * @param message the message
	 * @return what routing needs
	 */
	public RoutingInfo inspect(InboundMessage message) {
		if (!message.isText() || !startsWithBrace(message.bytes())) {
			return RoutingInfo.NOT_AN_OBJECT;
		}
		try (JsonParser parser = this.mapper.createParser(message.bytes())) {
			return readHeader(parser);
		}
		catch (JacksonException ex) {
			return RoutingInfo.malformed("malformed JSON: " + describe(ex));
		}
	}

	private RoutingInfo readHeader(JsonParser parser) {
		parser.nextToken();
		String type = null;
		JsonNode id = null;
		String problem = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (name.equals(this.typeField)) {
				if (value == JsonToken.VALUE_STRING) {
					type = parser.getString();
				}
				else {
					problem = "'" + this.typeField + "' must be a string";
				}
			}
			else if (name.equals(ID_FIELD)) {
				id = scalar(parser, value);
			}
			parser.skipChildren();
		}
		if (parser.nextToken() != null) {
			return RoutingInfo.malformed("malformed JSON: unexpected content after the object");
		}
		return new RoutingInfo(true, type, id, problem);
	}

	private @Nullable JsonNode scalar(JsonParser parser, JsonToken token) {
		JsonNodeFactory nodes = this.mapper.getNodeFactory();
		return switch (token) {
			case VALUE_STRING -> nodes.stringNode(parser.getString());
			case VALUE_NUMBER_INT -> (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER)
					? nodes.numberNode(parser.getBigIntegerValue()) : nodes.numberNode(parser.getLongValue());
			case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
			case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(token == JsonToken.VALUE_TRUE);
			default -> null;
		};
	}

	private static boolean startsWithBrace(byte[] bytes) {
		for (byte b : bytes) {
			if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
				return b == '{';
			}
		}
		return false;
	}

	ObjectReader readerFor(java.lang.reflect.Type type) {
		return this.mapper.readerFor(this.mapper.constructType(type));
	}

	Object read(InboundMessage message, ObjectReader reader) {
		try {
			Object value = reader.readValue(message.bytes());
			if (value == null) {
				throw new ClientErrorException(ErrorCode.BAD_REQUEST, "payload must not be null");
			}
			return value;
		}
		catch (StreamReadException ex) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST, "malformed JSON: " + describe(ex));
		}
		catch (JacksonException ex) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST, describeBinding(ex));
		}
	}

	JsonNode readTree(InboundMessage message) {
		try {
			return this.mapper.readTree(message.bytes());
		}
		catch (JacksonException ex) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST, "malformed JSON: " + describe(ex));
		}
	}

	private static String describe(JacksonException ex) {
		String message = ex.getOriginalMessage();
		TokenStreamLocation location = ex.getLocation();
		if (location != null && location.getLineNr() > 0) {
			message += " at line " + location.getLineNr() + ", column " + location.getColumnNr();
		}
		return message;
	}

	// Binding messages name Java types; the client gets the JSON path of the problem
	// instead.
	private static String describeBinding(JacksonException ex) {
		String path = path(ex.getPath());
		if (ex instanceof UnrecognizedPropertyException) {
			return "unknown field '" + path + "'";
		}
		if (ex instanceof InvalidNullException) {
			return "field '" + path + "' must not be null";
		}
		return path.isEmpty() ? "payload does not match the expected shape" : "invalid value for field '" + path + "'";
	}

	private static String path(List<JacksonException.Reference> references) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : references) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

}
