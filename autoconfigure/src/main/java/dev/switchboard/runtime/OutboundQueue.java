package dev.switchboard.runtime;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;

import dev.switchboard.handler.support.OutboundMessage;
import dev.switchboard.runtime.SwitchboardMetrics.DropReason;
import dev.switchboard.runtime.SwitchboardMetrics.SocketMetrics;

/**
 * Everything the server writes to one connection, in order: messages, pongs, pings and,
 * last, the close frame. It is the channel's only writer. What it holds, together with
 * what Netty holds for the channel and has not yet written to the socket, is bounded by
 * the outbound buffer size; only the close frame always fits. The queue is drained on the
 * channel's event loop, so that concurrent senders never interleave partial writes, and
 * only while the channel is writable, which its high water mark, half the buffer size at
 * most, ends well before the bound.
 */
final class OutboundQueue {

	/**
	 * Bytes a control frame takes besides its payload: the frame header.
	 */
	private static final int CONTROL_OVERHEAD = 2;

	private static final int DEFAULT_HIGH_WATER_MARK = WriteBufferWaterMark.DEFAULT.high();

	private final Channel channel;

	private final EventLoop eventLoop;

	private final long capacity;

	private final SocketMetrics meters;

	private final Queue<Object> items = new ConcurrentLinkedQueue<>();

	private final AtomicLong bytes = new AtomicLong();

	private final AtomicInteger drains = new AtomicInteger();

	private volatile boolean discarding;

	// Event loop only.
	private boolean closeWritten;

	// Event loop only.
	private boolean closeTransportAfterClose;

	OutboundQueue(Channel channel, long capacity, SocketMetrics meters) {
		this.channel = channel;
		this.eventLoop = channel.eventLoop();
		this.capacity = capacity;
		this.meters = meters;
		// What Netty holds counts against the capacity too: the channel stops taking
		// frames (and the client's data stops being read) well before it is used up.
		int high = (int) Math.max(2, Math.min(DEFAULT_HIGH_WATER_MARK, capacity / 2));
		channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
	}

	/**
	 * Queues a message.
	 * @param message the message
	 * @return {@code false} when it does not fit
	 */
	boolean offer(OutboundMessage message) {
		return offer(message, message.size());
	}

	/**
	 * Queues a pong answering a ping.
	 * @param payload the ping's payload
	 * @return {@code false} when it does not fit
	 */
	boolean offerPong(byte[] payload) {
		return offer(new Control(false, payload), payload.length + CONTROL_OVERHEAD);
	}

	/**
	 * Queues a ping of the keep-alive.
	 * @return {@code false} when it does not fit
	 */
	boolean offerPing() {
		return offer(new Control(true, new byte[0]), CONTROL_OVERHEAD);
	}

	private boolean offer(Object item, long size) {
		long queued = this.bytes.addAndGet(size);
		long held = queued + unflushedBytes();
		// One item larger than the whole buffer still goes when nothing else waits for
		// the channel to take it.
		if (held > this.capacity && (queued != size || !this.channel.isWritable())) {
			this.bytes.addAndGet(-size);
			return false;
		}
		this.items.offer(item);
		drain();
		return true;
	}

	/**
	 * Bytes held for the connection: queued, and written to the channel but not yet taken
	 * by the socket.
	 * @return the bytes
	 */
	long heldBytes() {
		return this.bytes.get() + unflushedBytes();
	}

	private long unflushedBytes() {
		ChannelOutboundBuffer buffer = this.channel.unsafe().outboundBuffer();
		return (buffer != null) ? buffer.totalPendingWriteBytes() : 0;
	}

	/**
	 * Queues the close frame, after what is queued or in place of it.
	 * @param code the close code, or -1 for a close frame without a body
	 * @param reason the reason
	 * @param discardQueued whether what is queued ahead of it is dropped
	 * @param then what happens to the TCP connection once the frame is written
	 */
	void close(int code, @Nullable String reason, boolean discardQueued, AfterClose then) {
		if (discardQueued) {
			// The drain, the queue's only consumer, drops what is ahead of the close.
			this.discarding = true;
		}
		this.items.offer(new Close(code, reason, then));
		drain();
	}

	/**
	 * Whether the close frame has been written, after which nothing else is.
	 * @return whether it has; read on the event loop
	 */
	boolean isCloseWritten() {
		return this.closeWritten;
	}

	/**
	 * Writes what waits, as far as the channel takes it; called again once the channel is
	 * writable.
	 */
	void drain() {
		if (this.drains.getAndIncrement() != 0) {
			return;
		}
		if (this.eventLoop.inEventLoop()) {
			drainLoop();
		}
		else {
			this.eventLoop.execute(this::drainLoop);
		}
	}

	private void drainLoop() {
		int missed = 1;
		do {
			boolean written = false;
			Object next;
			while ((next = this.items.peek()) != null) {
				if (next instanceof Close close) {
					this.items.poll();
					writeClose(close);
					written = false;
					continue;
				}
				boolean discard = this.closeWritten || this.discarding;
				if (!discard && !this.channel.isWritable()) {
					break;
				}
				this.items.poll();
				this.bytes.addAndGet(-sizeOf(next));
				if (!discard) {
					this.channel.write(toFrame(next), this.channel.voidPromise());
					written = true;
				}
				if (next instanceof OutboundMessage message) {
					count(message, discard);
				}
			}
			if (written) {
				this.channel.flush();
			}
			missed = this.drains.addAndGet(-missed);
		}
		while (missed != 0);
	}

	// Messages count once they are written to the channel, or dropped by a close; pings
	// and pongs are not messages.
	private void count(OutboundMessage message, boolean dropped) {
		if (dropped) {
			this.meters.messageDropped(DropReason.CLOSED);
		}
		else {
			this.meters.messageSent(message.size());
		}
	}

	private void writeClose(Close close) {
		if (this.closeWritten) {
			return;
		}
		this.closeWritten = true;
		this.discarding = true;
		CloseWebSocketFrame frame = (close.code() < 0) ? new CloseWebSocketFrame()
				: new CloseWebSocketFrame(close.code(), close.reason());
		ChannelFuture written = this.channel.writeAndFlush(frame);
		if (this.closeTransportAfterClose || close.then() == AfterClose.CLOSE) {
			written.addListener(ChannelFutureListener.CLOSE);
		}
		else if (close.then() == AfterClose.SHUT_OUTPUT) {
			written.addListener((future) -> finishWriting());
		}
	}

	// The server closes first, but only its sending side: a close while the client still
	// sends (the frames after a protocol error, say) would answer them with a reset,
	// which can make the client's network stack drop the replies and the close frame
	// unread. The connection is closed once the client closes its side, or by the close
	// timeout.
	private void finishWriting() {
		if (this.channel instanceof DuplexChannel duplex && duplex.isActive()) {
			duplex.shutdownOutput();
		}
		else {
			this.channel.close();
		}
	}

	/**
	 * Closes the TCP connection as soon as the close frame is written, or now if it has
	 * been: the client's close frame has arrived, so no echo is awaited. Called on the
	 * event loop.
	 */
	void closeTransportAfterClose() {
		this.closeTransportAfterClose = true;
		if (this.closeWritten) {
			this.channel.close();
		}
	}

	private static long sizeOf(Object item) {
		return (item instanceof OutboundMessage message) ? message.size()
				: ((Control) item).payload().length + CONTROL_OVERHEAD;
	}

	private static WebSocketFrame toFrame(Object item) {
		if (item instanceof OutboundMessage message) {
			return message.isText() ? new TextWebSocketFrame(Unpooled.wrappedBuffer(message.bytes()))
					: new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message.bytes()));
		}
		Control control = (Control) item;
		return control.ping() ? new PingWebSocketFrame(Unpooled.wrappedBuffer(control.payload()))
				: new PongWebSocketFrame(Unpooled.wrappedBuffer(control.payload()));
	}

	private record Control(boolean ping, byte[] payload) {
	}

	private record Close(int code, @Nullable String reason, AfterClose then) {
	}

	/**
	 * What happens to the TCP connection once the close frame is written.
	 */
	enum AfterClose {

		/**
		 * It stays open for the client's close frame, which closes it.
		 */
		AWAIT_ECHO,

		/**
		 * The server stops sending, and the connection is closed once the client closes
		 * its side: the client's close frame came, or the connection failed.
		 */
		SHUT_OUTPUT,

		/**
		 * It is closed at once: the client no longer answers or reads.
		 */
		CLOSE

	}

}
