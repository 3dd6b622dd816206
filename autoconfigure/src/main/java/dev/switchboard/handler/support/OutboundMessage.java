package dev.switchboard.handler.support;

import java.nio.charset.StandardCharsets;

/**
 * A message encoded once for any number of recipients: the payload of a text or binary
 * frame.
 *
 * @since 0.1.0
 */
public final class OutboundMessage {

	private final byte[] data;

	private final boolean text;

	private OutboundMessage(byte[] data, boolean text) {
		this.data = data;
		this.text = text;
	}

	/**
	 * Creates a text message.
	 * @param utf8 the text encoded in UTF-8; not copied
	 * @return the message
	 */
	public static OutboundMessage text(byte[] utf8) {
		return new OutboundMessage(utf8, true);
	}

	/**
	 * Creates a text message.
	 * @param text the text
	 * @return the message
	 */
	public static OutboundMessage text(String text) {
		return new OutboundMessage(text.getBytes(StandardCharsets.UTF_8), true);
	}

	/**
	 * Creates a binary message.
	 * @param data the bytes; not copied
	 * @return the message
	 */
	public static OutboundMessage binary(byte[] data) {
		return new OutboundMessage(data, false);
	}

	/**
	 * Whether the message goes out in a text frame.
	 * @return {@code true} for text, {@code false} for binary
	 */
	public boolean isText() {
		return this.text;
	}

	/**
	 * The payload's bytes, shared by every recipient; do not modify them.
	 * @return the bytes
	 */
	public byte[] bytes() {
		return this.data;
	}

	/**
	 * Size of the payload in bytes.
	 * @return the size
	 */
	public int size() {
		return this.data.length;
	}

	@Override
	public String toString() {
		return this.text ? new String(this.data, StandardCharsets.UTF_8)
				: "binary message of " + this.data.length + " bytes";
	}

}
