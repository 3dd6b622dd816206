package dev.switchboard.demo;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.CloseReason;
import dev.switchboard.Recipients;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;

/**
 * Signing in and out, the room list, and notices: sending from outside a socket handler,
 * on whichever instance serves the request.
 */
@RestController
@RequestMapping("/api")
class ChatController {

	static final CloseReason SIGNED_OUT = CloseReason.POLICY_VIOLATION.withReason("signed out");

	private static final String BEARER = "Bearer ";

	private final TokenService tokens;

	private final Switchboard switchboard;

	private final ChatHistory history;

	ChatController(TokenService tokens, Switchboard switchboard, ChatHistory history) {
		this.tokens = tokens;
		this.switchboard = switchboard;
		this.history = history;
	}

	@PostMapping("/sign-in")
	SignedIn signIn(@Valid @RequestBody SignIn request) {
		return new SignedIn(this.tokens.sign(request.name()), request.name());
	}

	// Closes every connection of the user on every instance; the pages read the reason
	// and show the sign-in form.
	@PostMapping("/sign-out")
	Mono<SendResult> signOut(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
		String token = (authorization != null && authorization.startsWith(BEARER))
				? authorization.substring(BEARER.length()) : "";
		String user = this.tokens.verify(token)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "invalid token"));
		return this.switchboard.toUser(user).close(SIGNED_OUT);
	}

	@GetMapping("/rooms")
	Mono<List<String>> rooms() {
		return this.history.rooms().collectList();
	}

	// An operator's endpoint, open for the demo's sake: protect it in a real app.
	@PostMapping("/notice")
	Mono<SendResult> notice(@Valid @RequestBody NoticeRequest request) {
		if ((request.room() == null) == (request.user() == null)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "give either a room or a user");
		}
		Recipients recipients = (request.room() != null) ? this.switchboard.toRoom(request.room())
				: this.switchboard.toUser(request.user());
		return recipients.send(new Notice(request.text(), request.room()));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> refused(ResponseStatusException ex) {
		String message = ex.getReason();
		if (ex instanceof WebExchangeBindException binding && binding.getFieldError() != null) {
			FieldError error = binding.getFieldError();
			message = error.getField() + " " + error.getDefaultMessage();
		}
		return ResponseEntity.status(ex.getStatusCode()).body(new ApiError(message));
	}

	record SignIn(@NotNull(message = ChatSocket.NAME_RULE) @Pattern(regexp = ChatSocket.NAME,
			message = ChatSocket.NAME_RULE) String name) {
	}

	record SignedIn(String token, String name) {
	}

	record NoticeRequest(@Nullable String room, @Nullable String user, @NotBlank @Size(max = 500) String text) {
	}

	record Notice(String type, String text, @Nullable String room) {

		Notice(String text, @Nullable String room) {
			this("notice", text, room);
		}

	}

	record ApiError(@Nullable String error) {
	}

}
