package dev.switchboard.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Watches an HTTP/1.1 connection from its TCP accept until it is upgraded to a WebSocket.
 * <ul>
 * <li>It counts against the per-instance connection limit from its accept, until its
 * first request shows that it is plain HTTP, or its handshake is refused or handed to a
 * connection, or it closes.</li>
 * <li>A connection that has not been upgraded within the handshake timeout of its accept
 * is closed: one that sends nothing, or a request slowly, or whose admission takes too
 * long. An upgrade request on a connection that served plain HTTP before has the timeout
 * from its arrival.</li>
 * <li>A request that cannot be decoded is answered here with 400 (414 or 431 when too
 * long) and a close, and one cut short by the client's close is dropped, each with a
 * debug line: Reactor Netty would log each at WARN.</li>
 * </ul>
 * It sits right after the HTTP codec and leaves the pipeline with the 101 response.
 */
final class HandshakeGuard extends ChannelDuplexHandler {

	static final String NAME = "switchboard.handshakeGuard";

	private static final Log logger = LogFactory.getLog(HandshakeGuard.class);

	private final ServerContext context;

	private final long timeoutNanos;

	private final AtomicBoolean permit = new AtomicBoolean();

	// Whether each request not yet answered is an upgrade, in order.
	private final ArrayDeque<Boolean> pending = new ArrayDeque<>();

	private boolean requested;

	private @Nullable ScheduledFuture<?> deadline;

	private HandshakeGuard(ServerContext context) {
		this.context = context;
		this.timeoutNanos = context.settings().handshakeTimeout().toNanos();
	}

	/**
	 * Guards a connection the server just accepted, if it speaks HTTP/1.1 (WebSocket
	 * handshakes do): HTTP/2 connections are left alone.
	 * @param channel the connection's channel
	 * @param context the server
	 */
	static void install(Channel channel, ServerContext context) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(NAME) == null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new HandshakeGuard(context));
		}
	}

	/**
	 * The guard of a connection, while it has one.
	 * @param channel the connection's channel
	 * @return the guard, or {@code null}
	 */
	static @Nullable HandshakeGuard of(Channel channel) {
		return (channel.pipeline().get(NAME) instanceof HandshakeGuard guard) ? guard : null;
	}

	/**
	 * Hands the connection's place in the per-instance count over to its handshake, which
	 * then releases it.
	 * @return {@code false} when the connection no longer holds one
	 */
	boolean takePermit() {
		return this.permit.compareAndSet(true, false);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context.acquire();
		this.permit.set(true);
		arm(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		disarm();
		releasePermit();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		disarm();
		releasePermit();
		ctx.fireChannelInactive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest request) {
			if (request.decoderResult().isFailure()) {
				refuse(ctx, request, request.decoderResult().cause());
				return;
			}
			boolean upgrade = isUpgrade(request);
			this.pending.add(upgrade);
			if (upgrade && this.requested && this.deadline == null) {
				arm(ctx);
			}
			else if (!upgrade && !this.pending.contains(true)) {
				// Plain HTTP: not a handshake, and not Switchboard's to time or count.
				disarm();
				releasePermit();
			}
			this.requested = true;
		}
		else if (msg instanceof HttpContent content && content.decoderResult().isFailure()
				&& !ctx.channel().isActive()) {
			quietlyDrop(msg, content.decoderResult().cause());
			return;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof HttpResponse response && isFinal(response.status())) {
			Boolean upgrade = this.pending.poll();
			if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
				ctx.write(msg, promise);
				ctx.pipeline().remove(this);
				return;
			}
			if (Boolean.TRUE.equals(upgrade) && !this.pending.contains(true)) {
				// A refused handshake: the connection may go on with plain HTTP.
				disarm();
				releasePermit();
			}
		}
		ctx.write(msg, promise);
	}

	private static boolean isFinal(HttpResponseStatus status) {
		return status.code() >= 200 || status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
	}

	private static boolean isUpgrade(HttpRequest request) {
		return HttpMethod.GET.equals(request.method())
				&& request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
	}

	private void arm(ChannelHandlerContext ctx) {
		if (this.timeoutNanos > 0) {
			this.deadline = ctx.executor().schedule(() -> timedOut(ctx), this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void disarm() {
		ScheduledFuture<?> deadline = this.deadline;
		if (deadline != null) {
			deadline.cancel(false);
			this.deadline = null;
		}
	}

	private void timedOut(ChannelHandlerContext ctx) {
		this.deadline = null;
		this.context.metrics().handshakeTimedOut();
		this.context.connectionLog().handshakeTimedOut(ctx.channel().remoteAddress());
		ctx.close();
	}

	private void releasePermit() {
		if (takePermit()) {
			this.context.release();
		}
	}

	private void refuse(ChannelHandlerContext ctx, HttpRequest request, @Nullable Throwable cause) {
		if (!ctx.channel().isActive()) {
			quietlyDrop(request, cause);
			return;
		}
		ReferenceCountUtil.release(request);
		HttpResponseStatus status = status(cause);
		this.context.connectionLog().invalidRequest(ctx.channel().remoteAddress(), status.code());
		if (logger.isDebugEnabled()) {
			logger.debug("Answered an invalid request from " + ctx.channel().remoteAddress() + " with " + status + ": "
					+ cause);
		}
		disarm();
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
		response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, "close");
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	private static HttpResponseStatus status(@Nullable Throwable cause) {
		if (cause instanceof TooLongHttpLineException) {
			return HttpResponseStatus.REQUEST_URI_TOO_LONG;
		}
		if (cause instanceof TooLongHttpHeaderException) {
			return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
		}
		return HttpResponseStatus.BAD_REQUEST;
	}

	private static void quietlyDrop(Object msg, @Nullable Throwable cause) {
		ReferenceCountUtil.release(msg);
		if (logger.isDebugEnabled()) {
			logger.debug("Dropped a request cut short by its client: " + cause);
		}
	}

}
