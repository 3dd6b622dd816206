package dev.switchboard.runtime;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketOutbound;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.DeliveryException;
import dev.switchboard.SendResult;
import dev.switchboard.SocketConnection;
import dev.switchboard.handler.OutboundMessage;

/**
 * A connection on this instance. Every write goes through one queue, bounded in bytes and
 * drained on the channel's event loop while the channel is writable, so that concurrent
 * senders never interleave partial writes and a client that does not read cannot make the
 * server buffer without bound.
 */
final class NettySocketConnection implements SocketConnection {

	private static final AtomicIntegerFieldUpdater<NettySocketConnection> STATE = AtomicIntegerFieldUpdater
		.newUpdater(NettySocketConnection.class, "state");

	private static final Log logger = LogFactory.getLog(NettySocketConnection.class);

	private static final int OPEN = 0;

	private static final int CLOSING = 1;

	private final String id;

	private final String socket;

	private final Handshake handshake;

	private final ConnectionInfo info;

	private final Channel channel;

	private final WebsocketOutbound outbound;

	private final ServerContext context;

	private final Map<String, Object> attributes;

	private final Set<String> rooms = ConcurrentHashMap.newKeySet();

	private final Queue<Object> queue = new ConcurrentLinkedQueue<>();

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicInteger wip = new AtomicInteger();

	private final Sinks.Empty<Void> terminated = Sinks.empty();

	private volatile int state;

	private volatile @Nullable CloseStatus closeStatus;

	private volatile @Nullable CloseStatus failure;

	private @Nullable FrameGuard guard;

	private boolean closeWritten;

	private volatile boolean dropQueued;

	private volatile boolean overflowed;

	private boolean removed;

	NettySocketConnection(String id, String socket, Handshake handshake, Channel channel, WebsocketOutbound outbound,
			ServerContext context) {
		this.id = id;
		this.socket = socket;
		this.handshake = handshake;
		this.info = new ConnectionInfo(id, socket, handshake.user(), context.settings().instanceId());
		this.channel = channel;
		this.outbound = outbound;
		this.context = context;
		this.attributes = new ConcurrentHashMap<>();
		// A concurrent map holds no nulls: an interceptor's null attribute is no
		// attribute.
		handshake.attributes().forEach((name, value) -> {
			if (value != null) {
				this.attributes.put(name, value);
			}
		});
	}

	/**
	 * Completes once the connection is closed and its disconnect handling done.
	 * @return a publisher of the termination
	 */
	Mono<Void> terminated() {
		return this.terminated.asMono();
	}

	void terminate() {
		this.terminated.tryEmitEmpty();
	}

	void guard(FrameGuard guard) {
		this.guard = guard;
	}

	ConnectionInfo info() {
		return this.info;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String socket() {
		return this.socket;
	}

	@Override
	public @Nullable String user() {
		return this.info.user();
	}

	@Override
	public @Nullable Principal principal() {
		return this.handshake.principal();
	}

	@Override
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	@Override
	public HttpHeaders headers() {
		return this.handshake.headers();
	}

	@Override
	public MultiValueMap<String, String> queryParams() {
		return this.handshake.queryParams();
	}

	@Override
	public Map<String, String> pathVariables() {
		return this.handshake.pathVariables();
	}

	@Override
	public URI uri() {
		return this.handshake.uri();
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.handshake.remoteAddress();
	}

	@Override
	public @Nullable String subprotocol() {
		return this.handshake.subprotocol();
	}

	@Override
	public Set<String> rooms() {
		return Collections.unmodifiableSet(this.rooms);
	}

	Set<String> joinedRooms() {
		return this.rooms;
	}

	@Override
	public boolean isOpen() {
		return this.state == OPEN && this.channel.isActive();
	}

	@Override
	public Mono<Void> send(Object payload) {
		return Mono.defer(
				() -> offer(this.context.codec().encode(payload)) ? Mono.empty()
						: Mono.error(new DeliveryException(
								"connection " + this.id + " is closed or its outbound buffer is full",
								SendResult.NOT_CONNECTED, null)));
	}

	@Override
	public Mono<Void> join(String room) {
		return this.context.join(this, room);
	}

	@Override
	public Mono<Void> leave(String room) {
		return this.context.leave(this, room);
	}

	@Override
	public Mono<Void> close(CloseStatus status) {
		return Mono.fromRunnable(() -> closeGracefully(status));
	}

	/**
	 * Queues a message.
	 * @param message the message
	 * @return {@code false} when the connection is closing or its buffer is full
	 */
	boolean offer(OutboundMessage message) {
		if (this.state != OPEN) {
			return false;
		}
		long size = message.size();
		long queued = this.queuedBytes.addAndGet(size);
		if (queued > this.context.settings().outboundBufferSize() && queued != size) {
			this.queuedBytes.addAndGet(-size);
			overflow();
			return false;
		}
		this.queue.offer(message);
		drain();
		return true;
	}

	private void overflow() {
		OverflowPolicy policy = this.context.settings().overflowPolicy();
		this.context.metrics().outboundOverflow(this.socket, policy);
		if (!this.overflowed) {
			this.overflowed = true;
			logger.warn("Outbound buffer of connection " + this.id + " is full: "
					+ ((policy == OverflowPolicy.CLOSE) ? "closing it with 1013"
							: "dropping messages until it drains (counted in switchboard.outbound.overflow)"));
		}
		if (policy == OverflowPolicy.CLOSE) {
			closeNow(new CloseStatus(1013, "outbound buffer full"));
		}
	}

	/**
	 * Closes after the messages already queued, with a close handshake.
	 * @param status the close status
	 */
	void closeGracefully(CloseStatus status) {
		status = fit(status);
		if (STATE.compareAndSet(this, OPEN, CLOSING)) {
			this.closeStatus = status;
			this.queue.offer(status);
			scheduleAbort();
			drain();
		}
	}

	/**
	 * Closes ahead of the messages queued, which are dropped.
	 * @param status the close status
	 */
	void closeNow(CloseStatus status) {
		status = fit(status);
		if (STATE.compareAndSet(this, OPEN, CLOSING)) {
			this.closeStatus = status;
			// The drain, the queue's only consumer, drops what is ahead of the close.
			this.dropQueued = true;
			this.queue.offer(status);
			scheduleAbort();
			drain();
		}
	}

	/**
	 * Closes a connection whose client no longer answers; called on the event loop: the
	 * close frame is sent, but the TCP connection is not kept open for a handshake that
	 * will not come.
	 * @param status the close status
	 */
	void abandon(CloseStatus status) {
		status = fit(status);
		if (STATE.compareAndSet(this, OPEN, CLOSING)) {
			this.closeStatus = status;
			this.queue.clear();
			this.closeWritten = true;
			this.channel.writeAndFlush(new CloseWebSocketFrame(status.getCode(), status.getReason()));
			abort();
		}
	}

	/**
	 * Records a protocol failure, whose close frame the pipeline has sent.
	 * @param status the close status sent
	 */
	void failed(CloseStatus status) {
		STATE.set(this, CLOSING);
		this.failure = status;
	}

	/**
	 * Fails the connection for a protocol violation: sends the close frame, then closes
	 * the TCP connection once it is written.
	 * @param ctx the context of the handler that found the violation
	 * @param status the close status
	 * @param reason the close reason
	 */
	void failProtocol(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
		failed(new CloseStatus(status.code(), reason));
		ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), reason)).addListener(ChannelFutureListener.CLOSE);
	}

	/**
	 * The status the connection closed with: a protocol failure, else the status this
	 * side sent, else the client's, else 1006.
	 * @param clientStatus the status of the client's close frame, if any
	 * @return the status
	 */
	CloseStatus finalStatus(@Nullable CloseStatus clientStatus) {
		CloseStatus status = (this.failure != null) ? this.failure : this.closeStatus;
		if (status == null) {
			status = clientStatus;
		}
		return (status != null) ? status : new CloseStatus(1006);
	}

	/**
	 * A close frame is a control frame of at most 125 bytes: the reason keeps 123 bytes
	 * of UTF-8, cut on a character boundary.
	 * @param status the status
	 * @return the status with a reason that fits
	 */
	static CloseStatus fit(CloseStatus status) {
		String reason = status.getReason();
		if (reason == null || reason.getBytes(StandardCharsets.UTF_8).length <= 123) {
			return status;
		}
		// No character takes less than a byte: 120 characters are at least 120 bytes.
		int end = Math.min(reason.length(), 120);
		while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > 120) {
			end--;
		}
		if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) {
			end--;
		}
		return status.withReason(reason.substring(0, end) + "...");
	}

	private void scheduleAbort() {
		this.channel.eventLoop()
			.schedule(this::abort, this.context.settings().closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

	private void abort() {
		if (this.guard != null) {
			this.guard.abort();
		}
		else {
			this.channel.close();
		}
	}

	void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		EventLoop eventLoop = this.channel.eventLoop();
		if (eventLoop.inEventLoop()) {
			drainLoop();
		}
		else {
			eventLoop.execute(this::drainLoop);
		}
	}

	private void drainLoop() {
		int missed = 1;
		do {
			boolean written = false;
			Object next;
			while ((next = this.queue.peek()) != null) {
				if (next instanceof OutboundMessage message) {
					boolean dropped = this.closeWritten || this.dropQueued;
					if (!dropped && !this.channel.isWritable()) {
						break;
					}
					this.queue.poll();
					this.queuedBytes.addAndGet(-message.size());
					if (!dropped) {
						this.channel.write(toFrame(message), this.channel.voidPromise());
						written = true;
					}
				}
				else {
					this.queue.poll();
					if (written) {
						this.channel.flush();
						written = false;
					}
					writeClose((CloseStatus) next);
				}
			}
			if (written) {
				this.channel.flush();
			}
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private static Object toFrame(OutboundMessage message) {
		return message.isText() ? new TextWebSocketFrame(Unpooled.wrappedBuffer(message.bytes()))
				: new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message.bytes()));
	}

	private void writeClose(CloseStatus status) {
		if (this.closeWritten) {
			return;
		}
		this.closeWritten = true;
		if (this.guard != null) {
			this.guard.awaitCloseEcho();
		}
		this.outbound.sendClose(status.getCode(), status.getReason()).subscribe(null, (ex) -> abort());
	}

	/**
	 * Marks the connection as removed from the local table, under the lock that room
	 * changes take, so that no join can index it afterwards.
	 * @return the rooms it had joined
	 */
	synchronized Set<String> markRemoved() {
		this.removed = true;
		return Set.copyOf(this.rooms);
	}

	synchronized boolean isRemoved() {
		return this.removed;
	}

	@Override
	public String toString() {
		return "SocketConnection[" + this.id + " on " + this.socket
				+ ((this.info.user() != null) ? " for " + this.info.user() : "") + "]";
	}

}
