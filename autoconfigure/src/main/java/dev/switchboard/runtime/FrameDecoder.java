package dev.switchboard.runtime;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.jspecify.annotations.Nullable;

import dev.switchboard.CloseCodes;

/**
 * Netty's frame decoder, configured for what was negotiated (Reactor Netty allows
 * extensions on every connection). It neither writes nor closes on a protocol violation:
 * it raises it, for the connection to be failed after the messages before it are handled.
 * A close frame must carry a code that RFC 6455 lets an endpoint send (Netty accepts any
 * code from 3000 up, 5000 and more included, and reads 65535 as -1).
 */
final class FrameDecoder extends WebSocket13FrameDecoder {

	FrameDecoder(int maxFramePayloadLength, boolean extensions) {
		super(WebSocketDecoderConfig.newBuilder()
			.maxFramePayloadLength(maxFramePayloadLength)
			.allowExtensions(extensions)
			.allowMaskMismatch(false)
			.closeOnProtocolViolation(false)
			.build());
	}

	@Override
	protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf buffer) {
		String problem = problem(buffer);
		if (problem != null) {
			// The decoder skips whatever follows a close frame.
			throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, problem);
		}
	}

	private static @Nullable String problem(ByteBuf buffer) {
		if (buffer == null || !buffer.isReadable()) {
			return null;
		}
		if (buffer.readableBytes() < 2) {
			return "close frame body of one byte";
		}
		int code = buffer.getUnsignedShort(buffer.readerIndex());
		if (!CloseCodes.isSendable(code)) {
			return "invalid close code " + code;
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(buffer.nioBuffer(buffer.readerIndex() + 2, buffer.readableBytes() - 2));
			return null;
		}
		catch (CharacterCodingException ex) {
			return "close reason is not valid UTF-8";
		}
	}

}
