package dev.switchboard.docs;

import java.security.Principal;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.switchboard.CloseReason;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;

// tag::sign-out[]
@RestController
class SessionController {

	private final Switchboard switchboard;

	private final TokenStore tokens;

	SessionController(Switchboard switchboard, TokenStore tokens) {
		this.switchboard = switchboard;
		this.tokens = tokens;
	}

	@PostMapping("/sign-out")
	Mono<SendResult> signOut(Principal principal) {
		String user = principal.getName();
		return this.tokens.revokeAll(user)
			.then(this.switchboard.toUser(user).close(CloseReason.POLICY_VIOLATION.withReason("signed out")));
	}

	@PostMapping("/admin/users/{user}/revoke")
	Mono<SendResult> revoke(@PathVariable String user) {
		return this.tokens.revokeAll(user)
			.then(this.switchboard.toUser(user).close(CloseReason.POLICY_VIOLATION.withReason("access revoked")));
	}

	interface TokenStore {

		Mono<Void> revokeAll(String user);

	}

}
// end::sign-out[]
