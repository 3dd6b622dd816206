package dev.switchboard.handler.support;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.SmartValidator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;
import dev.switchboard.handler.SocketArgumentResolver;
import dev.switchboard.handler.SocketInvocation;

/**
 * Resolves the payload parameter of one {@code @OnMessage} method: everything no other
 * resolver took. Built per parameter so that the target type and validation hints are
 * worked out once.
 */
final class PayloadArgumentResolver implements SocketArgumentResolver {

	private final PayloadKind kind;

	private final Class<?> parameterType;

	private final MessageCodec codec;

	private final @Nullable ObjectReader reader;

	private final Object @Nullable [] validationHints;

	private final @Nullable SmartValidator validator;

	PayloadArgumentResolver(MethodParameter parameter, MessageCodec codec, Object @Nullable [] validationHints,
			@Nullable SmartValidator validator) {
		this.kind = PayloadKind.of(parameter.getParameterType());
		this.parameterType = parameter.getParameterType();
		this.codec = codec;
		this.reader = (this.kind == PayloadKind.OBJECT) ? codec.readerFor(parameter.getGenericParameterType()) : null;
		this.validationHints = validationHints;
		this.validator = validator;
	}

	PayloadKind kind() {
		return this.kind;
	}

	// Built for one parameter at startup: it binds parameters of that type.
	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType().equals(this.parameterType);
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
		InboundMessage message = invocation.message();
		if (message == null) {
			return null;
		}
		return switch (this.kind) {
			case STRING -> message.text();
			case BYTES -> message.bytes();
			case BYTE_BUFFER -> ByteBuffer.wrap(message.bytes()).asReadOnlyBuffer();
			case JSON_TREE -> tree(message);
			case OBJECT -> validate(this.codec.read(message, this.reader));
		};
	}

	private JsonNode tree(InboundMessage message) {
		JsonNode tree = this.codec.readTree(message);
		if (!this.parameterType.isInstance(tree)) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST,
					"unexpected JSON " + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
		}
		return tree;
	}

	private Object validate(Object payload) {
		if (this.validator == null || this.validationHints == null) {
			return payload;
		}
		BeanPropertyBindingResult errors = new BeanPropertyBindingResult(payload, "payload");
		this.validator.validate(payload, errors, this.validationHints);
		if (errors.hasErrors()) {
			throw new ClientErrorException(ErrorCode.BAD_REQUEST, describe(errors));
		}
		return payload;
	}

	private static String describe(BeanPropertyBindingResult errors) {
		StringBuilder message = new StringBuilder();
		for (ObjectError error : errors.getAllErrors()) {
			message.append(message.isEmpty() ? "" : "; ");
			if (error instanceof FieldError field) {
				message.append(field.getField()).append(": ");
			}
			message.append(error.getDefaultMessage());
		}
		return message.toString();
	}

	/**
	 * What a payload parameter accepts.
	 */
	enum PayloadKind {

		/**
		 * The text of a text frame.
		 */
		STRING,

		/**
		 * The bytes of any frame.
		 */
		BYTES,

		/**
		 * The bytes of any frame, read-only.
		 */
		BYTE_BUFFER,

		/**
		 * Any JSON value.
		 */
		JSON_TREE,

		/**
		 * A JSON object bound to a type.
		 */
		OBJECT;

		static PayloadKind of(Class<?> type) {
			if (String.class.equals(type) || CharSequence.class.equals(type)) {
				return STRING;
			}
			if (byte[].class.equals(type)) {
				return BYTES;
			}
			if (ByteBuffer.class.equals(type)) {
				return BYTE_BUFFER;
			}
			if (JsonNode.class.isAssignableFrom(type)) {
				return JSON_TREE;
			}
			return OBJECT;
		}

		boolean acceptsBinary() {
			return this == BYTES || this == BYTE_BUFFER;
		}

	}

}
