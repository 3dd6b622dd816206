package dev.switchboard;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * A complete message received from a client: the payload of a text frame (valid UTF-8) or
 * of a binary frame, after reassembly of fragments and decompression.
 *
 * @since 0.1.0
 */
public final class InboundMessage {

	private final byte[] data;

	private final boolean text;

	private volatile @Nullable String string;

	private InboundMessage(byte[] data, boolean text, @Nullable String string) {
		this.data = data;
		this.text = text;
		this.string = string;
	}

	/**
	 * Creates a text message.
	 * @param utf8 the text, encoded in UTF-8; not copied
	 * @return the message
	 */
	public static InboundMessage text(byte[] utf8) {
		return new InboundMessage(utf8, true, null);
	}

	/**
	 * Creates a text message.
	 * @param text the text
	 * @return the message
	 */
	public static InboundMessage text(String text) {
		return new InboundMessage(text.getBytes(StandardCharsets.UTF_8), true, text);
	}

	/**
	 * Creates a binary message.
	 * @param data the bytes; not copied
	 * @return the message
	 */
	public static InboundMessage binary(byte[] data) {
		return new InboundMessage(data, false, null);
	}

	/**
	 * Whether the message came in text frames.
	 * @return {@code true} for text, {@code false} for binary
	 */
	public boolean isText() {
		return this.text;
	}

	/**
	 * The payload's bytes: UTF-8 for a text message. The array is shared; do not modify
	 * it.
	 * @return the bytes
	 */
	public byte[] bytes() {
		return this.data;
	}

	/**
	 * The payload as text, decoded as UTF-8.
	 * @return the text
	 */
	public String text() {
		String string = this.string;
		if (string == null) {
			string = new String(this.data, StandardCharsets.UTF_8);
			this.string = string;
		}
		return string;
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
		return (this.text ? "text" : "binary") + " message of " + this.data.length + " bytes";
	}

}
