package dev.switchboard.sockets;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ConnectionRejectedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.annotation.OnError;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

@Socket("errors")
class ErrorsSocket {

	@OnMessage("fail")
	String fail() {
		throw new IllegalStateException("database password is hunter2");
	}

	@OnMessage("forbidden")
	String forbidden() {
		throw new ClientErrorException(ErrorCode.FORBIDDEN, "only admins may do that");
	}

	@OnMessage("validate")
	String validate(@Valid Post post) {
		return "valid:" + post.text();
	}

	@OnMessage("slow")
	Mono<String> slow() {
		return Mono.never();
	}

	@OnMessage(value = "quick-timeout", timeout = "200ms")
	Mono<String> quickTimeout() {
		return Mono.never();
	}

	@OnMessage("specific")
	String specific() {
		throw new IllegalArgumentException("specific");
	}

	@OnMessage("general")
	String general() {
		throw new UnsupportedOperationException("general");
	}

	@OnMessage("handler-fails")
	String handlerFails() {
		throw new ArithmeticException("the @OnError method fails too");
	}

	@OnMessage("kick")
	String kick() {
		throw new ConnectionRejectedException(org.springframework.http.HttpStatus.FORBIDDEN,
				CloseStatus.POLICY_VIOLATION, "kicked out");
	}

	@OnMessage("echo")
	String echo() {
		return "still open";
	}

	@OnError
	Handled onIllegalArgument(IllegalArgumentException ex) {
		return new Handled("handled", "IllegalArgumentException", ex.getMessage());
	}

	@OnError
	Handled onRuntime(UnsupportedOperationException ex) {
		return new Handled("handled", "UnsupportedOperationException", ex.getMessage());
	}

	@OnError(ArithmeticException.class)
	Handled failing() {
		throw new IllegalStateException("error handler failed");
	}

	record Post(@NotBlank String text, @Positive int priority) {
	}

	record Handled(String type, String by, String message) {
	}

}
