package dev.switchboard.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;

import dev.switchboard.annotation.Socket;

/**
 * Matches unless the application asked for the send-only Switchboard
 * ({@code switchboard.emitter.enabled=true}) and serves no sockets: such a reactive
 * application sends through the emitter, and runs no socket server, takes no lease and
 * subscribes to nothing.
 */
final class OnSocketServerCondition extends NoneNestedConditions {

	OnSocketServerCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnBooleanProperty("switchboard.emitter.enabled")
	@ConditionalOnMissingBean(annotation = Socket.class)
	static final class EmitterWithoutSockets {

	}

}
