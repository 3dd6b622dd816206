package dev.switchboard.runtime;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Sits right after the {@link KeepAliveHandler} and handles the control frames: it closes
 * with 1002 on reserved bits no negotiated extension uses (Reactor Netty's decoder lets
 * them through); answers pings and close frames through the connection's outbound buffer;
 * and drops every frame once a protocol failure was found.
 */
final class ControlFrameHandler extends ChannelInboundHandlerAdapter {

	private static final int RSV1 = 0x04;

	private final NettySocketConnection connection;

	private final int allowedRsv;

	ControlFrameHandler(NettySocketConnection connection, boolean compression) {
		this.connection = connection;
		this.allowedRsv = compression ? RSV1 : 0;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof WebSocketFrame frame)) {
			ctx.fireChannelRead(msg);
			return;
		}
		if (this.connection.hasFailed()) {
			frame.release();
			return;
		}
		if ((frame.rsv() & ~this.allowedRsv) != 0
				|| (frame instanceof ContinuationWebSocketFrame && frame.rsv() != 0)) {
			frame.release();
			InboundFailure failure = InboundFailure.protocolError("reserved bits set without a negotiated extension");
			this.connection.inboundFailed(failure.status());
			ctx.fireChannelRead(failure);
			return;
		}
		if (frame instanceof CloseWebSocketFrame close) {
			this.connection.closeReceived(close.statusCode(), close.reasonText());
			close.release();
		}
		else if (frame instanceof PingWebSocketFrame ping) {
			ping(ctx, ping);
		}
		else {
			ctx.fireChannelRead(frame);
		}
	}

	// While the network does not take the client's data, the ping joins the messages that
	// wait for it to, and reading stops with them: a client that pings without reading
	// cannot make the server queue pongs.
	private void ping(ChannelHandlerContext ctx, PingWebSocketFrame ping) {
		if (ctx.channel().isWritable()) {
			this.connection.pong(ByteBufUtil.getBytes(ping.content()));
			ping.release();
		}
		else {
			ctx.fireChannelRead(ping);
		}
	}

}
