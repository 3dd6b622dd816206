package dev.switchboard.autoconfigure;

import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import reactor.core.publisher.Mono;

import dev.switchboard.RegistryUnavailableException;

/**
 * The {@code switchboard} endpoint over HTTP: while the registry cannot answer (Redis
 * unreachable, or the registry rebuilt after Redis lost its data), 503 with the reason,
 * rather than a server error and its stack trace in the log; 404 for an unknown
 * connection.
 *
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = SwitchboardEndpoint.class)
public final class SwitchboardEndpointWebExtension {

	private final SwitchboardEndpoint endpoint;

	SwitchboardEndpointWebExtension(SwitchboardEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * The sockets, instances, rooms and online users.
	 * @return the overview, or 503
	 */
	@ReadOperation
	public Mono<WebEndpointResponse<Object>> overview() {
		return answer(this.endpoint.overview());
	}

	/**
	 * One connection, on any instance.
	 * @param id the connection's id
	 * @return the connection, 404 when no instance has it, or 503
	 */
	@ReadOperation
	public Mono<WebEndpointResponse<Object>> connection(@Selector String id) {
		return answer(this.endpoint.connection(id))
			.defaultIfEmpty(new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND));
	}

	private static Mono<WebEndpointResponse<Object>> answer(Mono<?> answer) {
		return answer.<WebEndpointResponse<Object>>map((body) -> new WebEndpointResponse<>(body))
			.onErrorResume(RegistryUnavailableException.class,
					(ex) -> Mono.just(new WebEndpointResponse<>(Map.of("error", String.valueOf(ex.getMessage())),
							WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE)));
	}

}
