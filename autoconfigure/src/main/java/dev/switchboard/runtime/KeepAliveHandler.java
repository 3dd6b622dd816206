package dev.switchboard.runtime;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Sits right after the frame decoder, sees every frame first, and keeps the connection
 * alive or ends it: pings after silence, a close when the client stops answering them or,
 * with an idle timeout, stops sending messages, and a close with 1013 when the network
 * takes none of the data waiting for the client for the write timeout. It tells the
 * connection when the network takes data again, and when the channel closed.
 */
final class KeepAliveHandler extends ChannelDuplexHandler {

	static final CloseStatus WRITE_TIMEOUT = new CloseStatus(1013, "write timeout");

	static final CloseStatus IDLE_TIMEOUT = new CloseStatus(1001, "idle timeout");

	static final CloseStatus PING_TIMEOUT = new CloseStatus(1001, "ping timeout");

	private final NettySocketConnection connection;

	private final long pingIntervalNanos;

	private final long pongTimeoutNanos;

	private final long idleTimeoutNanos;

	private final long writeTimeoutNanos;

	private @Nullable ScheduledFuture<?> keepAlive;

	private @Nullable ScheduledFuture<?> writeStall;

	private long lastRead;

	private long lastMessage;

	private long pingSentAt;

	KeepAliveHandler(NettySocketConnection connection, ServerSettings settings) {
		this.connection = connection;
		this.pingIntervalNanos = settings.pingInterval().toNanos();
		this.pongTimeoutNanos = settings.pongTimeout().toNanos();
		this.idleTimeoutNanos = settings.idleTimeout().toNanos();
		this.writeTimeoutNanos = settings.writeTimeout().toNanos();
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.lastRead = System.nanoTime();
		this.lastMessage = this.lastRead;
		scheduleKeepAlive(ctx, nextCheckDelay());
		if (!ctx.channel().isWritable()) {
			stalled(ctx);
		}
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancel(this.keepAlive);
		cancel(this.writeStall);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof WebSocketFrame frame && !this.connection.hasFailed()) {
			this.lastRead = System.nanoTime();
			if (this.pingSentAt != 0) {
				// Answered: the next check is the next ping, not the pong deadline.
				this.pingSentAt = 0;
				rescheduleKeepAlive(ctx);
			}
			if (!(frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame
					|| frame instanceof CloseWebSocketFrame)) {
				this.lastMessage = this.lastRead;
			}
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (ctx.channel().isWritable()) {
			cancel(this.writeStall);
			this.writeStall = null;
			this.connection.writabilityChanged(true);
		}
		else {
			stalled(ctx);
		}
		ctx.fireChannelWritabilityChanged();
	}

	private void stalled(ChannelHandlerContext ctx) {
		if (this.writeStall == null && this.writeTimeoutNanos > 0) {
			watchStall(ctx, unwrittenBytes(ctx));
		}
	}

	// A client that reads slowly still takes some of its data within the timeout: only
	// one that took none is closed, at once, since a close frame would not get through.
	private void watchStall(ChannelHandlerContext ctx, long unwritten) {
		this.writeStall = ctx.executor().schedule(() -> {
			if (ctx.channel().isWritable()) {
				return;
			}
			long now = unwrittenBytes(ctx);
			if (now < unwritten) {
				watchStall(ctx, now);
			}
			else {
				this.connection.closeStalled(WRITE_TIMEOUT);
			}
		}, this.writeTimeoutNanos, TimeUnit.NANOSECONDS);
	}

	private static long unwrittenBytes(ChannelHandlerContext ctx) {
		ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
		return (buffer != null) ? buffer.totalPendingWriteBytes() : 0;
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		cancel(this.keepAlive);
		cancel(this.writeStall);
		this.connection.channelClosed();
		ctx.fireChannelInactive();
	}

	private void checkKeepAlive(ChannelHandlerContext ctx) {
		if (!ctx.channel().isActive() || this.connection.hasFailed()) {
			return;
		}
		long now = System.nanoTime();
		if (!ctx.channel().config().isAutoRead() || !ctx.channel().isWritable()) {
			// The server is not reading: the client's pongs and messages wait unread,
			// behind its messages or until the network takes the data for it.
			this.lastRead = now;
			this.lastMessage = now;
			this.pingSentAt = 0;
		}
		if (this.idleTimeoutNanos > 0 && now - this.lastMessage >= this.idleTimeoutNanos) {
			this.connection.close(IDLE_TIMEOUT, false);
			return;
		}
		if (this.pingSentAt != 0 && now - this.pingSentAt >= this.pongTimeoutNanos) {
			this.connection.abandon(PING_TIMEOUT);
			return;
		}
		if (this.pingSentAt == 0 && this.pingIntervalNanos > 0 && now - this.lastRead >= this.pingIntervalNanos) {
			this.pingSentAt = now;
			this.connection.ping();
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
		return (next == Long.MAX_VALUE) ? next : Math.max(next, TimeUnit.MILLISECONDS.toNanos(10));
	}

	private void rescheduleKeepAlive(ChannelHandlerContext ctx) {
		cancel(this.keepAlive);
		scheduleKeepAlive(ctx, nextCheckDelay());
	}

	private void scheduleKeepAlive(ChannelHandlerContext ctx, long delayNanos) {
		if (delayNanos == Long.MAX_VALUE) {
			return;
		}
		this.keepAlive = ctx.executor().schedule(() -> checkKeepAlive(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	private static void cancel(@Nullable ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

}
