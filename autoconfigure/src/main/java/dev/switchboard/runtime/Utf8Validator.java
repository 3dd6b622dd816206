package dev.switchboard.runtime;

/**
 * Checks that the bytes of a text message are well-formed UTF-8 (RFC 3629), fragment by
 * fragment: a character may be split between two fragments. Runs of ASCII, the common
 * case, cost a bounds check and a sign check a byte.
 */
final class Utf8Validator {

	private static final int CONTINUATION_LOW = 0x80;

	private static final int CONTINUATION_HIGH = 0xBF;

	// Continuation bytes the current character still needs, and the range the next one
	// must be in: narrower than 80..BF after some lead bytes, which rules out overlong
	// forms, surrogates and code points above U+10FFFF.
	private int needed;

	private int low = CONTINUATION_LOW;

	private int high = CONTINUATION_HIGH;

	/**
	 * Checks the next bytes of the message.
	 * @param bytes holds them
	 * @param from the index of the first
	 * @param to the index after the last
	 * @return whether they may be part of well-formed UTF-8
	 */
	boolean update(byte[] bytes, int from, int to) {
		int i = from;
		while (i < to) {
			if (this.needed == 0) {
				while (i < to && bytes[i] >= 0) {
					i++;
				}
				if (i == to) {
					return true;
				}
				if (!lead(bytes[i++] & 0xFF)) {
					return false;
				}
			}
			else {
				int next = bytes[i++] & 0xFF;
				if (next < this.low || next > this.high) {
					return false;
				}
				this.needed--;
				this.low = CONTINUATION_LOW;
				this.high = CONTINUATION_HIGH;
			}
		}
		return true;
	}

	private boolean lead(int lead) {
		if (lead >= 0xC2 && lead <= 0xDF) {
			return expect(1, CONTINUATION_LOW, CONTINUATION_HIGH);
		}
		if (lead == 0xE0) {
			return expect(2, 0xA0, CONTINUATION_HIGH);
		}
		if (lead == 0xED) {
			return expect(2, CONTINUATION_LOW, 0x9F);
		}
		if (lead >= 0xE1 && lead <= 0xEF) {
			return expect(2, CONTINUATION_LOW, CONTINUATION_HIGH);
		}
		if (lead == 0xF0) {
			return expect(3, 0x90, CONTINUATION_HIGH);
		}
		if (lead >= 0xF1 && lead <= 0xF3) {
			return expect(3, CONTINUATION_LOW, CONTINUATION_HIGH);
		}
		if (lead == 0xF4) {
			return expect(3, CONTINUATION_LOW, 0x8F);
		}
		return false;
	}

	private boolean expect(int needed, int low, int high) {
		this.needed = needed;
		this.low = low;
		this.high = high;
		return true;
	}

	/**
	 * Ends the message.
	 * @return whether it ended on a whole character
	 */
	boolean finish() {
		boolean complete = this.needed == 0;
		expect(0, CONTINUATION_LOW, CONTINUATION_HIGH);
		return complete;
	}

}
