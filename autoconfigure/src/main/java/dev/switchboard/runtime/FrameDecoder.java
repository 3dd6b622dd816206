package dev.switchboard.runtime;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.jspecify.annotations.Nullable;

/**
 * Netty's frame decoder, configured for what was negotiated (Reactor Netty allows
 * extensions on every connection), and answering a close frame with an invalid code or
 * reason with a 1002 close frame, as RFC 6455 asks, where Netty drops the connection
 * without one.
 */
final class FrameDecoder extends WebSocket13FrameDecoder {

	FrameDecoder(int maxFramePayloadLength, boolean extensions) {
		super(WebSocketDecoderConfig.newBuilder()
			.maxFramePayloadLength(maxFramePayloadLength)
			.allowExtensions(extensions)
			.allowMaskMismatch(false)
			.closeOnProtocolViolation(true)
			.build());
	}

	@Override
	protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf buffer) {
		String problem = problem(buffer);
		if (problem == null) {
			return;
		}
		ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR, problem))
			.addListener(ChannelFutureListener.CLOSE);
		throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, problem);
	}

	private static @Nullable String problem(ByteBuf buffer) {
		if (buffer == null || !buffer.isReadable()) {
			return null;
		}
		if (buffer.readableBytes() < 2) {
			return "close frame body of one byte";
		}
		int code = buffer.getUnsignedShort(buffer.readerIndex());
		if (!WebSocketCloseStatus.isValidStatusCode(code)) {
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
