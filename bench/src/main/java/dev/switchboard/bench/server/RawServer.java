package dev.switchboard.bench.server;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * Raw Reactor Netty, the bar: {@code /ws/echo} sends every frame back as it came, and
 * {@code /ws/hub} keeps its connections in a {@link ChannelGroup}, to which a connection
 * of {@code /ws/publish} writes each of its frames.
 */
public final class RawServer {

	private RawServer() {
	}

	public static void main(String[] args) {
		ChannelGroup hub = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
		WebsocketServerSpec spec = WebsocketServerSpec.builder().maxFramePayloadLength(1 << 20).build();
		DisposableServer server = HttpServer.create()
			.port(0)
			.route((routes) -> routes
				.ws("/ws/echo", (in, out) -> out.sendObject(in.receiveFrames().map(RawServer::copy)), spec)
				.ws("/ws/hub", (in, out) -> {
					in.withConnection((connection) -> hub.add(connection.channel()));
					return in.receive().then();
				}, spec)
				.ws("/ws/publish", (in, out) -> in.receiveFrames()
					.doOnNext((frame) -> hub.writeAndFlush(new TextWebSocketFrame(frame.content().retainedDuplicate())))
					.then(), spec)
				.get("/bench/memory", (request, response) -> response.sendString(Mono.fromSupplier(Control::memory))))
			.bindNow();
		Control.ready(server.port());
		server.onDispose().block();
	}

	private static WebSocketFrame copy(WebSocketFrame frame) {
		return (frame instanceof BinaryWebSocketFrame) ? new BinaryWebSocketFrame(frame.content().retain())
				: new TextWebSocketFrame(frame.content().retain());
	}

}
