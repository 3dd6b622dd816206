package dev.switchboard.sockets;

import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;

import dev.switchboard.handler.SocketArgumentResolver;
import dev.switchboard.handler.SocketInvocation;

@Component
class ShouterResolver implements SocketArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return ArgumentsSocket.Shouter.class.equals(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
		String user = invocation.connection().user();
		return new ArgumentsSocket.Shouter((user != null) ? user : "anonymous");
	}

}
