package dev.switchboard.runtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;

import dev.switchboard.InboundMessage;

/**
 * Sits last before Reactor Netty's bridge: reassembles fragmented messages into
 * {@link InboundMessage}s, enforces the message size limit with 1009 while the fragments
 * (and inflated data) arrive, closes with 1007 on text that is not UTF-8, and turns the
 * protocol errors raised upstream into an {@link InboundFailure} that follows the
 * messages before it, instead of an error in the application.
 */
final class MessageAssembler extends ChannelInboundHandlerAdapter {

	private static final String NOT_UTF8 = "text is not valid UTF-8";

	private final NettySocketConnection connection;

	private final int maxMessageSize;

	private final boolean compressed;

	private final Utf8Validator utf8 = new Utf8Validator();

	private @Nullable ByteBuf fragments;

	private boolean fragmentsAreText;

	MessageAssembler(NettySocketConnection connection, int maxMessageSize, boolean compressed) {
		this.connection = connection;
		this.maxMessageSize = maxMessageSize;
		this.compressed = compressed;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof WebSocketFrame frame)) {
			ctx.fireChannelRead(msg);
			return;
		}
		if (this.connection.hasFailed() || frame instanceof PongWebSocketFrame) {
			frame.release();
			return;
		}
		if (!(frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
				|| frame instanceof ContinuationWebSocketFrame)) {
			ctx.fireChannelRead(frame);
			return;
		}
		try {
			assemble(ctx, frame);
		}
		finally {
			frame.release();
		}
	}

	private void assemble(ChannelHandlerContext ctx, WebSocketFrame frame) {
		ByteBuf content = frame.content();
		boolean continuation = frame instanceof ContinuationWebSocketFrame;
		if (continuation != (this.fragments != null)) {
			fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, continuation
					? "continuation frame without a message to continue" : "new message before the previous one ended");
			return;
		}
		int size = content.readableBytes() + ((this.fragments != null) ? this.fragments.readableBytes() : 0);
		if (size > this.maxMessageSize) {
			fail(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message larger than " + this.maxMessageSize + " bytes");
			return;
		}
		if (frame.isFinalFragment() && this.fragments == null) {
			byte[] bytes = ByteBufUtil.getBytes(content);
			if (frame instanceof TextWebSocketFrame) {
				if (isUtf8(bytes, 0, bytes.length, true)) {
					ctx.fireChannelRead(InboundMessage.text(bytes));
				}
				else {
					fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, NOT_UTF8);
				}
			}
			else {
				ctx.fireChannelRead(InboundMessage.binary(bytes));
			}
			return;
		}
		if (this.fragments == null) {
			// One buffer that grows: a composite one would copy all the fragments so far
			// again every sixteen of them.
			this.fragments = ctx.alloc().heapBuffer(content.readableBytes(), this.maxMessageSize);
			this.fragmentsAreText = frame instanceof TextWebSocketFrame;
		}
		int start = this.fragments.writerIndex();
		this.fragments.writeBytes(content);
		// Checked fragment by fragment, so that invalid text fails before the rest comes.
		if (this.fragmentsAreText
				&& !isUtf8(this.fragments, start, this.fragments.writerIndex() - start, frame.isFinalFragment())) {
			fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, NOT_UTF8);
			return;
		}
		if (frame.isFinalFragment()) {
			ByteBuf whole = this.fragments;
			this.fragments = null;
			try {
				byte[] bytes = ByteBufUtil.getBytes(whole);
				ctx.fireChannelRead(this.fragmentsAreText ? InboundMessage.text(bytes) : InboundMessage.binary(bytes));
			}
			finally {
				whole.release();
			}
		}
	}

	private boolean isUtf8(ByteBuf buffer, int index, int length, boolean last) {
		if (buffer.hasArray()) {
			int from = buffer.arrayOffset() + index;
			return isUtf8(buffer.array(), from, from + length, last);
		}
		return isUtf8(ByteBufUtil.getBytes(buffer, index, length), 0, length, last);
	}

	private boolean isUtf8(byte[] bytes, int from, int to, boolean last) {
		if (!this.utf8.update(bytes, from, to)) {
			this.utf8.finish();
			return false;
		}
		return !last || this.utf8.finish();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof CorruptedWebSocketFrameException corrupted) {
			fail(ctx, corrupted.closeStatus(),
					(corrupted.getMessage() != null) ? corrupted.getMessage() : corrupted.closeStatus().reasonText());
		}
		else if (cause instanceof TooLongFrameException || isInflationLimit(cause)) {
			fail(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too big");
		}
		else if (cause instanceof DecompressionException) {
			fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "invalid compressed data");
		}
		else if (cause instanceof CorruptedFrameException) {
			fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "protocol error");
		}
		else if (cause instanceof CodecException && this.compressed) {
			// The inflater rejects a frame it cannot read ("cannot read uncompressed
			// buffer") with a plain codec exception.
			fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "invalid compressed data");
		}
		else if (cause instanceof CodecException) {
			fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "protocol error");
		}
		else {
			ctx.fireExceptionCaught(cause);
		}
	}

	// Netty's inflater stops at the size limit with a DecompressionException, as it does
	// on corrupt data: only its message tells the two apart.
	private static boolean isInflationLimit(Throwable cause) {
		for (Throwable current = cause; current != null; current = current.getCause()) {
			if (current instanceof DecompressionException && current.getMessage() != null
					&& current.getMessage().contains("maximum size")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		releaseFragments();
	}

	private void fail(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
		releaseFragments();
		if (this.connection.hasFailed()) {
			return;
		}
		InboundFailure failure = InboundFailure.of(status, reason);
		this.connection.inboundFailed(failure.status());
		ctx.fireChannelRead(failure);
	}

	private void releaseFragments() {
		if (this.fragments != null) {
			this.fragments.release();
			this.fragments = null;
		}
	}

}
