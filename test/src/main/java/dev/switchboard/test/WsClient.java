package dev.switchboard.test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket client over a real socket, built on Reactor Netty's client, that records
 * what it receives so that tests can wait for it with a timeout.
 *
 * @since 0.1.0
 */
public final class WsClient implements AutoCloseable {

	/**
	 * How long a test waits for an event before it fails: {@link Await#TIMEOUT}.
	 */
	public static final Duration TIMEOUT = Await.TIMEOUT;

	private static final JsonMapper json = new JsonMapper();

	private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();

	private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

	private final CompletableFuture<@Nullable String> opened = new CompletableFuture<>();

	private volatile @Nullable Disposable connection;

	private WsClient() {
	}

	/**
	 * Connects and waits for the handshake.
	 * @param uri the endpoint
	 * @return the connected client
	 */
	public static WsClient connect(URI uri) {
		return connect(uri, (headers) -> {
		});
	}

	/**
	 * Connects with extra handshake headers and waits for the handshake.
	 * @param uri the endpoint
	 * @param headers customizes the handshake headers
	 * @param protocols subprotocols to offer
	 * @return the connected client
	 */
	public static WsClient connect(URI uri, Consumer<HttpHeaders> headers, String... protocols) {
		return connect(uri, headers, TIMEOUT, protocols);
	}

	/**
	 * Connects with extra handshake headers and waits for the handshake up to a timeout.
	 * @param uri the endpoint
	 * @param headers customizes the handshake headers
	 * @param timeout how long to wait for the handshake
	 * @param protocols subprotocols to offer
	 * @return the connected client
	 */
	public static WsClient connect(URI uri, Consumer<HttpHeaders> headers, Duration timeout, String... protocols) {
		WsClient client = new WsClient();
		client.start(uri, headers, protocols);
		client.awaitOpen(timeout);
		return client;
	}

	/**
	 * Starts a connection without waiting for its handshake.
	 * @param uri the endpoint
	 * @param headers customizes the handshake headers
	 * @return the client, open or not
	 */
	public static WsClient start(URI uri, Consumer<HttpHeaders> headers) {
		WsClient client = new WsClient();
		client.start(uri, headers, new String[0]);
		return client;
	}

	private void start(URI uri, Consumer<HttpHeaders> headers, String[] protocols) {
		WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder().maxFramePayloadLength(16 * 1024 * 1024);
		if (protocols.length > 0) {
			spec.protocols(String.join(",", protocols));
		}
		this.connection = HttpClient.create().headers(headers).websocket(spec.build()).uri(uri).handle((in, out) -> {
			in.receiveCloseStatus()
				.subscribe((status) -> this.closed.complete(new CloseStatus(status.code(), status.reasonText())),
						this.closed::completeExceptionally, () -> this.closed.complete(new CloseStatus(1006)));
			this.opened.complete(in.selectedSubprotocol());
			Mono<Void> receive = in.aggregateFrames(16 * 1024 * 1024)
				.receiveFrames()
				.doOnNext((frame) -> this.received.add(Frame.of(frame)))
				.then();
			Mono<Void> send = out.sendObject(this.outbound.asFlux(), (frame) -> true).then();
			return Mono.when(receive, send);
		}).subscribe(null, (ex) -> {
			this.opened.completeExceptionally(ex);
			this.closed.completeExceptionally(ex);
		}, () -> this.closed.complete(new CloseStatus(1006)));
	}

	private void awaitOpen(Duration timeout) {
		try {
			this.opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted during the WebSocket handshake", ex);
		}
		catch (TimeoutException ex) {
			// No close handshake to wait for: the connection is dropped.
			dispose();
			throw new AssertionError("WebSocket handshake not completed within " + timeout, ex);
		}
		catch (ExecutionException ex) {
			throw new AssertionError("WebSocket handshake failed: " + ex.getCause(), ex.getCause());
		}
	}

	/**
	 * The negotiated subprotocol.
	 * @return the subprotocol or {@code null}
	 */
	public @Nullable String subprotocol() {
		return this.opened.join();
	}

	/**
	 * Sends a text frame.
	 * @param text the text
	 * @return this client
	 */
	public WsClient send(String text) {
		emit(new TextWebSocketFrame(text));
		return this;
	}

	/**
	 * Sends a binary frame.
	 * @param bytes the payload
	 * @return this client
	 */
	public WsClient sendBinary(byte[] bytes) {
		emit(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
		return this;
	}

	/**
	 * Sends a frame.
	 * @param frame the frame
	 * @return this client
	 */
	public WsClient sendFrame(WebSocketFrame frame) {
		emit(frame);
		return this;
	}

	private synchronized void emit(WebSocketFrame frame) {
		Sinks.EmitResult result = this.outbound.tryEmitNext(frame);
		if (result.isFailure()) {
			throw new AssertionError("Cannot send: " + result);
		}
	}

	/**
	 * Waits for the next frame.
	 * @return the frame
	 */
	public Frame next() {
		try {
			Frame frame = this.received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (frame == null) {
				throw new AssertionError("No message within " + TIMEOUT);
			}
			return frame;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Waits for the next frame up to a timeout.
	 * @param timeout how long to wait
	 * @return the frame, or {@code null} when none came in time
	 */
	public @Nullable Frame poll(Duration timeout) {
		try {
			return this.received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Waits for the next text frame.
	 * @return its text
	 */
	public String nextText() {
		Frame frame = next();
		if (!frame.text()) {
			throw new AssertionError("Expected a text frame, got " + frame);
		}
		return frame.asText();
	}

	/**
	 * Waits for the next text frame and reads it as JSON.
	 * @return the JSON
	 */
	public JsonNode nextJson() {
		return json.readTree(nextText());
	}

	/**
	 * Waits for the given number of frames.
	 * @param count how many
	 * @return the frames
	 */
	public List<Frame> next(int count) {
		List<Frame> frames = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			frames.add(next());
		}
		return frames;
	}

	/**
	 * Frames received and not yet taken, without waiting.
	 * @return the frames
	 */
	public List<Frame> drain() {
		List<Frame> frames = new ArrayList<>();
		this.received.drainTo(frames);
		return frames;
	}

	/**
	 * Waits for the connection to close.
	 * @return the status of the close frame received, 1006 when the connection dropped
	 */
	public CloseStatus awaitClose() {
		try {
			return this.closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("The connection did not close within " + TIMEOUT, ex);
		}
	}

	/**
	 * Waits up to a timeout for the connection to close.
	 * @param timeout how long to wait
	 * @return the status of the close frame received, 1006 when the connection dropped,
	 * or {@code null} when it is still open
	 */
	public @Nullable CloseStatus closeStatus(Duration timeout) {
		try {
			return this.closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			return null;
		}
		catch (ExecutionException ex) {
			return new CloseStatus(1006, String.valueOf(ex.getCause()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Starts the close handshake with a status, unless the connection is already gone
	 * (its server killed, say), which takes no close frame.
	 * @param code the close code
	 */
	public synchronized void close(int code) {
		WebSocketFrame frame = new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(code, "bye");
		if (this.outbound.tryEmitNext(frame).isFailure()) {
			frame.release();
		}
		this.outbound.tryEmitComplete();
	}

	@Override
	public void close() {
		if (!this.closed.isDone()) {
			close(1000);
			try {
				this.closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				// Gone, or no answer to the close frame: the connection is dropped.
				dispose();
			}
		}
	}

	private void dispose() {
		Disposable connection = this.connection;
		if (connection != null) {
			connection.dispose();
		}
		this.closed.complete(new CloseStatus(1006));
	}

	/**
	 * A frame as received.
	 *
	 * @param text whether it was a text frame
	 * @param payload its payload
	 */
	public record Frame(boolean text, byte[] payload) {

		static Frame of(WebSocketFrame frame) {
			ByteBuf content = frame.content();
			byte[] bytes = new byte[content.readableBytes()];
			content.getBytes(content.readerIndex(), bytes);
			return new Frame(frame instanceof TextWebSocketFrame, bytes);
		}

		/**
		 * The payload as text.
		 * @return the text
		 */
		public String asText() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/**
		 * The payload as JSON.
		 * @return the JSON
		 */
		public JsonNode asJson() {
			return json.readTree(this.payload);
		}

		@Override
		public String toString() {
			return (this.text ? "text: " + asText() : "binary of " + this.payload.length + " bytes");
		}

	}

}
