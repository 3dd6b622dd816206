package dev.switchboard.runtime;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.switchboard.ConnectionInfo;
import dev.switchboard.DeliveryException;
import dev.switchboard.OverflowPolicy;
import dev.switchboard.SendResult;
import dev.switchboard.SocketConnection;
import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.registry.RegistryContext.LocalConnection;
import dev.switchboard.runtime.OutboundQueue.AfterClose;
import dev.switchboard.runtime.SwitchboardMetrics.DropReason;
import dev.switchboard.runtime.SwitchboardMetrics.SlowConsumer;
import dev.switchboard.runtime.SwitchboardMetrics.SocketMetrics;

/**
 * A connection on this instance. Every frame the server writes goes through its
 * {@link OutboundQueue}, bounded in bytes. Its close follows its {@link CloseState}; a
 * closing connection that does not finish within the close timeout is closed at the TCP
 * level.
 */
final class NettySocketConnection implements SocketConnection {

	static final CloseStatus OUTBOUND_FULL = new CloseStatus(1013, "outbound buffer full");

	private static final Log logger = LogFactory.getLog(NettySocketConnection.class);

	private final String id;

	private final String socket;

	private final AcceptedHandshake handshake;

	private final ConnectionInfo info;

	private final Channel channel;

	private final OutboundQueue outbound;

	private final ServerContext context;

	private final SocketMetrics meters;

	private final Map<String, Object> attributes;

	// When the handshake completed, for operators: a number, not an Instant, per
	// connection.
	private final long connectedAt = System.currentTimeMillis();

	// Created at the first join, under the connection's lock, and read without it: a
	// connection that never joins a room holds no set.
	private volatile @Nullable Set<String> rooms;

	private final Sinks.Empty<Void> terminated = Sinks.empty();

	private final CloseState closing = new CloseState();

	private volatile boolean overflowed;

	// Completed when the channel takes data again; event loop only.
	private Sinks.@Nullable Empty<Void> writable;

	private boolean removed;

	// Messages handled so far; event loop only.
	private long sequence;

	// Set once, before the connection is added to the local table.
	private volatile @Nullable StreamCursors cursors;

	NettySocketConnection(String id, String socket, AcceptedHandshake handshake, Channel channel, ServerContext context,
			SocketMetrics meters) {
		this.id = id;
		this.socket = socket;
		this.handshake = handshake;
		this.info = new ConnectionInfo(id, socket, handshake.user(), context.settings().instanceId());
		this.channel = channel;
		this.outbound = new OutboundQueue(channel, context.settings().outboundBufferSize(), meters);
		this.context = context;
		this.meters = meters;
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

	/**
	 * Where the connection is in the streams with history it follows, when its socket
	 * recovers missed messages.
	 * @return the cursors, or {@code null}
	 */
	@Nullable StreamCursors cursors() {
		return this.cursors;
	}

	void recover(StreamCursors cursors) {
		this.cursors = cursors;
	}

	void terminate() {
		this.terminated.tryEmitEmpty();
	}

	ConnectionInfo info() {
		return this.info;
	}

	/**
	 * The connection as the registry records it: when and from where it connected, and
	 * its rooms.
	 * @param rooms its rooms
	 * @return the record
	 */
	LocalConnection local(Set<String> rooms) {
		return new LocalConnection(this.info, rooms, Instant.ofEpochMilli(this.connectedAt),
				address(this.handshake.remoteAddress()));
	}

	private static @Nullable String address(@Nullable InetSocketAddress address) {
		if (address == null) {
			return null;
		}
		String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
	}

	Channel channel() {
		return this.channel;
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
		return URI.create(this.handshake.uri());
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
		return Collections.unmodifiableSet(new AbstractSet<>() {

			@Override
			public Iterator<String> iterator() {
				return joinedRooms().iterator();
			}

			@Override
			public int size() {
				return joinedRooms().size();
			}

			@Override
			public boolean contains(Object room) {
				return joinedRooms().contains(room);
			}

		});
	}

	Set<String> joinedRooms() {
		Set<String> rooms = this.rooms;
		return (rooms != null) ? rooms : Set.of();
	}

	/**
	 * Adds a room to those the connection has joined.
	 * @param room the room
	 * @return {@code false} if it had joined the room already
	 */
	synchronized boolean addRoom(String room) {
		Set<String> rooms = this.rooms;
		if (rooms == null) {
			rooms = ConcurrentHashMap.newKeySet();
			this.rooms = rooms;
		}
		return rooms.add(room);
	}

	/**
	 * Removes a room from those the connection has joined.
	 * @param room the room
	 * @return {@code false} if it had not joined the room
	 */
	synchronized boolean removeRoom(String room) {
		Set<String> rooms = this.rooms;
		return rooms != null && rooms.remove(room);
	}

	@Override
	public boolean isOpen() {
		return this.closing.isOpen() && this.channel.isActive();
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
		return Mono.fromRunnable(() -> close(CloseState.requireSendable(status), false));
	}

	/**
	 * Numbers a message of the connection, for its request id. Called on the event loop,
	 * in the order the messages are handled.
	 * @return the message's number, from 1
	 */
	long nextSequence() {
		return ++this.sequence;
	}

	/**
	 * Queues a message.
	 * @param message the message
	 * @return {@code false} when the connection is closing or its buffer is full
	 */
	boolean offer(OutboundMessage message) {
		if (!this.closing.isOpen()) {
			this.meters.messageDropped(DropReason.CLOSED);
			return false;
		}
		if (this.outbound.offer(message)) {
			return true;
		}
		this.meters.messageDropped(DropReason.BUFFER_FULL);
		overflow();
		return false;
	}

	/**
	 * Answers a ping, through the outbound buffer like any message: a client that pings
	 * without reading the pongs fills it.
	 * @param payload the ping's payload
	 */
	void pong(byte[] payload) {
		if (this.closing.isOpen() && !this.outbound.offerPong(payload)) {
			overflow();
		}
	}

	/**
	 * Pings the client, for the keep-alive.
	 */
	void ping() {
		if (this.closing.isOpen() && !this.outbound.offerPing()) {
			overflow();
		}
	}

	private void overflow() {
		OverflowPolicy policy = this.context.settings().overflowPolicy();
		if (!this.overflowed) {
			this.overflowed = true;
			// What a client does is a quiet log line: the meter counts overflows.
			if (logger.isDebugEnabled()) {
				logger
					.debug("Outbound buffer of connection " + this.id + " is full: " + ((policy == OverflowPolicy.CLOSE)
							? "closing it with 1013" : "dropping messages until it drains"));
			}
		}
		if (policy == OverflowPolicy.CLOSE && close(OUTBOUND_FULL, true)) {
			this.meters.slowConsumerClosed(SlowConsumer.BUFFER_FULL);
		}
	}

	/**
	 * Starts a close handshake: the close frame goes after the frames already queued, or
	 * in place of them, and the TCP connection is closed once the client's close frame
	 * comes back, or after the close timeout.
	 * @param status the close status
	 * @param discardQueued whether the frames queued are dropped
	 * @return {@code false} if the connection was closing already
	 */
	boolean close(CloseStatus status, boolean discardQueued) {
		status = CloseState.fitToFrame(status);
		if (this.closing.beginClose(status)) {
			this.outbound.close(status.getCode(), status.getReason(), discardQueued, AfterClose.AWAIT_ECHO);
			scheduleAbort();
			return true;
		}
		return false;
	}

	/**
	 * Closes a connection whose client no longer answers or reads: the close frame
	 * replaces what is queued, and the TCP connection is closed once it is written,
	 * without waiting for a close frame that will not come.
	 * @param status the close status
	 */
	void abandon(CloseStatus status) {
		status = CloseState.fitToFrame(status);
		if (this.closing.beginClose(status)) {
			this.outbound.close(status.getCode(), status.getReason(), true, AfterClose.CLOSE);
			scheduleAbort();
		}
	}

	/**
	 * Closes a connection whose client reads nothing: the TCP connection is closed at
	 * once, since no close frame would get through.
	 * @param status the status recorded for the close
	 */
	void closeStalled(CloseStatus status) {
		if (this.closing.beginClose(CloseState.fitToFrame(status))) {
			this.meters.slowConsumerClosed(SlowConsumer.WRITE_TIMEOUT);
		}
		this.channel.close();
	}

	/**
	 * The client's close frame arrived: it is echoed after the frames already queued and
	 * the TCP connection closed once the echo is written; or, if this side closed first,
	 * it completes the close handshake. Called on the event loop.
	 * @param code the client's close code, -1 for a close frame without a body
	 * @param reason the client's reason
	 */
	void closeReceived(int code, String reason) {
		if (this.closing.closeReceived((code < 0) ? CloseStatus.NO_STATUS_CODE : new CloseStatus(code, reason))) {
			this.outbound.close(code, reason, false, AfterClose.SHUT_OUTPUT);
			scheduleAbort();
		}
		else {
			this.outbound.closeTransportAfterClose();
		}
	}

	/**
	 * Records a protocol failure found in the frames from the client, whose close follows
	 * once the messages received before it are handled ({@link #fail}): frames that come
	 * after it are dropped, and the TCP connection is closed within the close timeout
	 * whatever happens.
	 * @param status the close status the failure calls for
	 */
	void inboundFailed(CloseStatus status) {
		if (this.closing.failed(CloseState.fitToFrame(status))) {
			scheduleAbort();
		}
	}

	/**
	 * Whether a protocol failure was found, after which frames from the client are
	 * dropped.
	 * @return whether one was
	 */
	boolean hasFailed() {
		return this.closing.hasFailed();
	}

	/**
	 * Fails the connection for the protocol failure recorded, once the replies to the
	 * messages before it are queued: the close frame goes after them, and the TCP
	 * connection is closed once it is written.
	 */
	void failForProtocolError() {
		if (!this.closing.hasFailed()) {
			return;
		}
		CloseStatus status = this.closing.beginFailureClose();
		if (status != null) {
			this.outbound.close(status.getCode(), status.getReason(), false, AfterClose.SHUT_OUTPUT);
		}
		else {
			this.channel.eventLoop().execute(this.outbound::closeTransportAfterClose);
		}
	}

	/**
	 * The status the connection closed with: a protocol failure, else the status this
	 * side sent, else the client's, else 1006.
	 * @return the status
	 */
	CloseStatus finalStatus() {
		return this.closing.finalStatus();
	}

	/**
	 * Whether the {@link #finalStatus() status the connection closed with} is the
	 * client's.
	 * @return whether it is
	 */
	boolean closedByClient() {
		return this.closing.isClientStatus();
	}

	/**
	 * Which side ended the connection.
	 * @return the side
	 */
	CloseState.Ending ending() {
		return this.closing.ending();
	}

	private void scheduleAbort() {
		this.channel.eventLoop()
			.schedule(() -> this.channel.close(), this.context.settings().closeTimeout().toMillis(),
					TimeUnit.MILLISECONDS);
	}

	/**
	 * Bytes held for the client: queued, and written to the channel but not yet taken by
	 * the socket.
	 * @return the bytes
	 */
	long heldBytes() {
		return this.outbound.heldBytes();
	}

	/**
	 * Completes once the network takes this connection's data again, so that the client
	 * is not read from meanwhile: what it sends would only make the server queue more
	 * replies and pongs. Called on the event loop.
	 * @return {@code null} when it takes data now
	 */
	@Nullable Mono<Void> whenWritable() {
		if (this.channel.isWritable() || !this.channel.isActive()) {
			return null;
		}
		if (this.writable == null) {
			this.writable = Sinks.empty();
		}
		return this.writable.asMono();
	}

	/**
	 * The channel's writability changed; called on the event loop.
	 * @param writable whether it takes data again
	 */
	void writabilityChanged(boolean writable) {
		if (writable) {
			this.outbound.drain();
			openGate();
		}
	}

	/**
	 * The channel closed: whatever waits for it to become writable goes on, to end.
	 */
	void channelClosed() {
		openGate();
	}

	private void openGate() {
		Sinks.Empty<Void> gate = this.writable;
		if (gate != null) {
			this.writable = null;
			gate.tryEmitEmpty();
		}
	}

	/**
	 * Marks the connection as removed from the local table, under the lock that room
	 * changes take, so that no join can index it afterwards.
	 * @return the rooms it had joined
	 */
	synchronized Set<String> markRemoved() {
		this.removed = true;
		return Set.copyOf(joinedRooms());
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
