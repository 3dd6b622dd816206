package dev.switchboard.runtime;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Sits right after the frame decoder and sees every frame first. It closes with 1002 on
 * reserved bits no negotiated extension uses (Reactor Netty's decoder lets them through),
 * keeps the connection alive with pings and closes it when the client stops answering,
 * and completes server-initiated close handshakes: the TCP connection is closed once the
 * client has echoed the close frame, as RFC 6455 asks, not right after sending it.
 */
final class FrameGuard extends ChannelDuplexHandler {

	private static final int RSV1 = 0x04;

	private final NettySocketConnection connection;

	private final int allowedRsv;

	private final long pingIntervalNanos;

	private final long pongTimeoutNanos;

	private final long idleTimeoutNanos;

	private @Nullable ChannelHandlerContext context;

	private @Nullable ScheduledFuture<?> keepAlive;

	private long lastRead;

	private long lastMessage;

	private long pingSentAt;

	private boolean failed;

	private boolean closeReceived;

	private volatile boolean awaitingEcho;

	private @Nullable ChannelPromise deferredClose;

	FrameGuard(NettySocketConnection connection, boolean compression, ServerSettings settings) {
		this.connection = connection;
		this.allowedRsv = compression ? RSV1 : 0;
		this.pingIntervalNanos = settings.pingInterval().toNanos();
		this.pongTimeoutNanos = settings.pongTimeout().toNanos();
		this.idleTimeoutNanos = settings.idleTimeout().toNanos();
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
		this.lastRead = System.nanoTime();
		this.lastMessage = this.lastRead;
		scheduleKeepAlive(ctx, nextCheckDelay());
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		if (this.keepAlive != null) {
			this.keepAlive.cancel(false);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof WebSocketFrame frame)) {
			ctx.fireChannelRead(msg);
			return;
		}
		if (this.failed) {
			frame.release();
			return;
		}
		if ((frame.rsv() & ~this.allowedRsv) != 0
				|| (frame instanceof ContinuationWebSocketFrame && frame.rsv() != 0)) {
			frame.release();
			fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "reserved bits set without a negotiated extension");
			return;
		}
		this.lastRead = System.nanoTime();
		if (this.pingSentAt != 0) {
			// Answered: the next check is the next ping, not the pong deadline.
			this.pingSentAt = 0;
			rescheduleKeepAlive(ctx);
		}
		if (!(frame instanceof PingWebSocketFrame) && !(frame instanceof PongWebSocketFrame)
				&& !(frame instanceof CloseWebSocketFrame)) {
			this.lastMessage = this.lastRead;
		}
		if (frame instanceof CloseWebSocketFrame) {
			this.closeReceived = true;
			ctx.fireChannelRead(frame);
			completeDeferredClose(ctx);
			return;
		}
		ctx.fireChannelRead(frame);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (ctx.channel().isWritable()) {
			this.connection.drain();
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
		if (this.awaitingEcho && !this.closeReceived && !this.failed && ctx.channel().isActive()) {
			this.deferredClose = promise;
			return;
		}
		ctx.close(promise);
	}

	/**
	 * Called before the connection sends its close frame: the TCP close that follows
	 * waits for the client's echo, or for {@link #abort()}.
	 */
	void awaitCloseEcho() {
		this.awaitingEcho = true;
	}

	/**
	 * Closes the TCP connection now, whatever stage the close handshake is at.
	 */
	void abort() {
		ChannelHandlerContext ctx = this.context;
		if (ctx == null) {
			return;
		}
		ctx.executor().execute(() -> {
			this.failed = true;
			ChannelPromise promise = this.deferredClose;
			this.deferredClose = null;
			ctx.close((promise != null) ? promise : ctx.newPromise());
		});
	}

	private void completeDeferredClose(ChannelHandlerContext ctx) {
		ChannelPromise promise = this.deferredClose;
		if (promise != null) {
			this.deferredClose = null;
			ctx.close(promise);
		}
	}

	private void fail(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
		this.failed = true;
		this.connection.failProtocol(ctx, status, reason);
	}

	private void checkKeepAlive(ChannelHandlerContext ctx) {
		if (!ctx.channel().isActive() || this.failed) {
			return;
		}
		long now = System.nanoTime();
		if (!ctx.channel().config().isAutoRead()) {
			// The application is not reading: the client's pongs wait unread behind its
			// messages.
			this.lastRead = now;
			this.lastMessage = now;
			this.pingSentAt = 0;
		}
		if (this.idleTimeoutNanos > 0 && now - this.lastMessage >= this.idleTimeoutNanos) {
			this.connection.closeGracefully(new CloseStatus(1001, "idle timeout"));
			return;
		}
		if (this.pingSentAt != 0 && now - this.pingSentAt >= this.pongTimeoutNanos) {
			this.connection.abandon(new CloseStatus(1001, "ping timeout"));
			return;
		}
		if (this.pingSentAt == 0 && this.pingIntervalNanos > 0 && now - this.lastRead >= this.pingIntervalNanos) {
			this.pingSentAt = now;
			ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
		}
		scheduleKeepAlive(ctx, nextCheckDelay());
	}

	private long nextCheckDelay() {
		long now = System.nanoTime();
		long next = Long.MAX_VALUE;
		if (this.pingSentAt != 0) {
			next = Math.min(next, this.pingSentAt + this.pongTimeoutNanos - now);
		}
		else if (this.pingIntervalNanos > 0) {
			next = Math.min(next, this.lastRead + this.pingIntervalNanos - now);
		}
		if (this.idleTimeoutNanos > 0) {
			next = Math.min(next, this.lastMessage + this.idleTimeoutNanos - now);
		}
		return Math.max(next, TimeUnit.MILLISECONDS.toNanos(10));
	}

	private void rescheduleKeepAlive(ChannelHandlerContext ctx) {
		if (this.keepAlive != null) {
			this.keepAlive.cancel(false);
		}
		scheduleKeepAlive(ctx, nextCheckDelay());
	}

	private void scheduleKeepAlive(ChannelHandlerContext ctx, long delayNanos) {
		if (delayNanos == Long.MAX_VALUE) {
			return;
		}
		this.keepAlive = ctx.executor().schedule(() -> checkKeepAlive(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

}
