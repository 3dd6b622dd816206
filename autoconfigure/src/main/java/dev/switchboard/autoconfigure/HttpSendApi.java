package dev.switchboard.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.DeliveryException;
import dev.switchboard.RegistryUnavailableException;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;

/**
 * The HTTP send API: a POST of a JSON request that names the recipients and a payload or
 * a close status, answered with the {@link SendResult} as JSON. Every refusal is a status
 * with an {@code {"error": ...}} body; a caller's mistakes are logged at DEBUG only.
 * <p>
 * The request and the answer are read and written with a mapper of their own, so that the
 * API's format does not follow the application's JSON settings; the payload is sent by
 * the {@link Switchboard}, encoded with the application's mapper as any send is.
 */
final class HttpSendApi implements WebHandler {

	private static final Log logger = LogFactory.getLog(HttpSendApi.class);

	private static final JsonMapper json = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final Switchboard switchboard;

	private final HttpSendApiAccess access;

	private final int maxBodySize;

	HttpSendApi(Switchboard switchboard, HttpSendApiAccess access, int maxBodySize) {
		this.switchboard = switchboard;
		this.access = access;
		this.maxBodySize = maxBodySize;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		if (!HttpMethod.POST.equals(exchange.getRequest().getMethod())) {
			exchange.getResponse().getHeaders().setAllow(Set.of(HttpMethod.POST));
			return write(exchange, error(HttpStatus.METHOD_NOT_ALLOWED, "only POST is allowed"));
		}
		return this.access.refusal(exchange)
			.map((refusal) -> error(refusal.status(), refusal.reason()))
			.switchIfEmpty(Mono.defer(() -> serve(exchange.getRequest())))
			.flatMap((answer) -> write(exchange, answer));
	}

	private Mono<Answer> serve(ServerHttpRequest request) {
		MediaType contentType = request.getHeaders().getContentType();
		if (contentType == null || !MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
			// Browsers send other types across origins without asking first: requiring
			// JSON keeps a page of another site from posting with the user's cookies.
			return Mono.just(error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"));
		}
		if (request.getHeaders().getContentLength() > this.maxBodySize) {
			return Mono.just(tooLarge());
		}
		return DataBufferUtils.join(request.getBody(), this.maxBodySize)
			.map(HttpSendApi::bytes)
			.defaultIfEmpty(new byte[0])
			.map(HttpSendApi::parse)
			.flatMap((sendRequest) -> sendRequest.sendWith(this.switchboard))
			.map((result) -> new Answer(HttpStatus.OK, result))
			.onErrorResume(this::failure);
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private static HttpSendRequest parse(byte[] body) {
		if (body.length == 0) {
			throw new HttpSendRequest.Invalid("the body must be a JSON object");
		}
		JsonNode tree;
		try {
			tree = json.readTree(body);
		}
		catch (StreamReadException ex) {
			throw new HttpSendRequest.Invalid("the body is not valid JSON: " + ex.getOriginalMessage());
		}
		catch (JacksonException ex) {
			throw new HttpSendRequest.Invalid("the body is not valid JSON");
		}
		return HttpSendRequest.read(tree);
	}

	private Mono<Answer> failure(Throwable ex) {
		if (ex instanceof HttpSendRequest.Invalid) {
			logger.debug("HTTP send API refused a request: " + ex.getMessage());
			return Mono.just(error(HttpStatus.BAD_REQUEST, ex.getMessage()));
		}
		if (ex instanceof DataBufferLimitException) {
			return Mono.just(tooLarge());
		}
		if (ex instanceof DeliveryException delivery) {
			// Reported where it belongs, as for every send: the health, the meters, and
			// here
			// the caller, who learns what was done before the failure.
			Map<String, Object> body = new LinkedHashMap<>();
			// A fixed reason: the exception's message may quote Redis's own errors.
			body.put("error",
					(delivery.getCause() instanceof RegistryUnavailableException)
							? "the registry in Redis is unavailable: the message could not reach the other instances"
							: "the message could not be published to the other instances");
			body.put("partialResult", delivery.getPartialResult());
			return Mono.just(new Answer(HttpStatus.SERVICE_UNAVAILABLE, body));
		}
		if (ex instanceof RegistryUnavailableException) {
			return Mono.just(error(HttpStatus.SERVICE_UNAVAILABLE, "the registry in Redis is unavailable"));
		}
		logger.error("HTTP send API failed", ex);
		return Mono.just(error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error"));
	}

	private Answer tooLarge() {
		logger.debug("HTTP send API refused a request over " + this.maxBodySize + " bytes");
		return error(HttpStatus.CONTENT_TOO_LARGE, "the body is larger than " + this.maxBodySize + " bytes");
	}

	private static Answer error(HttpStatus status, String reason) {
		return new Answer(status, Map.of("error", reason));
	}

	private Mono<Void> write(ServerWebExchange exchange, Answer answer) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(answer.status());
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		if (answer.status() == HttpStatus.UNAUTHORIZED && this.access.takesKey()) {
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		}
		byte[] body = json.writeValueAsBytes(answer.body());
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	/**
	 * What the API answers.
	 *
	 * @param status the status
	 * @param body the body, written as JSON
	 */
	private record Answer(HttpStatus status, Object body) {

	}

}
