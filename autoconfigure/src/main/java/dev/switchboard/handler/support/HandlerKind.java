package dev.switchboard.handler.support;

/**
 * The kinds of handler method, by the annotation that declares them.
 */
enum HandlerKind {

	CONNECT("@OnConnect"), MESSAGE("@OnMessage"), DISCONNECT("@OnDisconnect"), ERROR("@OnError");

	private final String annotation;

	HandlerKind(String annotation) {
		this.annotation = annotation;
	}

	String annotation() {
		return this.annotation;
	}

}
