package dev.switchboard.handler.support;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.PrioritizedParameterNameDiscoverer;
import org.springframework.core.convert.ConversionService;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.ReflectionUtils;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.switchboard.ClientErrorException;
import dev.switchboard.ErrorCode;
import dev.switchboard.InboundMessage;
import dev.switchboard.RequestId;
import dev.switchboard.SocketConnection;
import dev.switchboard.annotation.Attribute;
import dev.switchboard.annotation.Header;
import dev.switchboard.annotation.PathParam;
import dev.switchboard.annotation.QueryParam;
import dev.switchboard.handler.SocketArgumentResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The built-in resolvers against the parameters of a fixture method.
 */
class ArgumentResolversTests {

	private final ConversionService conversionService = ApplicationConversionService.getSharedInstance();

	private final List<SocketArgumentResolver> resolvers = BuiltInArgumentResolvers.create(this.conversionService);

	private final MessageCodec codec = new MessageCodec(new JsonMapper(), "type");

	private final FakeConnection connection = new FakeConnection();

	@Test
	void resolvesAndConvertsPathQueryHeaderAndAttributeValues() {
		this.connection.pathVariables.put("room", "42");
		this.connection.query.add("page", "3");
		this.connection.headers.set("X-Trace", "t-1");
		this.connection.attributes.put("tenant", "acme");
		assertThat(resolve(0, invocation())).isEqualTo(42);
		assertThat(resolve(1, invocation())).isEqualTo(Optional.of(3));
		assertThat(resolve(2, invocation())).isEqualTo("t-1");
		assertThat(resolve(3, invocation())).isEqualTo("acme");
	}

	@Test
	void usesDefaultsAndNullForMissingValues() {
		assertThat(resolve(1, invocation())).isEqualTo(Optional.empty());
		assertThat(resolve(2, invocation())).isEqualTo("none");
	}

	@Test
	void answersAValueThatDoesNotConvertWithBadRequest() {
		this.connection.pathVariables.put("room", "lobby");
		assertThatExceptionOfType(ClientErrorException.class).isThrownBy(() -> resolve(0, invocation()))
			.withMessage("invalid value for path variable 'room'");
	}

	@Test
	void treatsAMissingRequiredAttributeAsAServerFault() {
		assertThatIllegalStateException().isThrownBy(() -> resolve(3, invocation()))
			.withMessageContaining("Missing connection attribute 'tenant'");
	}

	@Test
	void usesTheFirstOfSeveralValuesAndReadsHeaderNamesWhateverTheirCase() {
		this.connection.query.add("page", "3");
		this.connection.query.add("page", "4");
		this.connection.headers.add("x-trace", "t-1");
		this.connection.headers.add("X-TRACE", "t-2");
		assertThat(resolve(1, invocation())).isEqualTo(Optional.of(3));
		assertThat(resolve(2, invocation())).isEqualTo("t-1");
	}

	@Test
	void treatsAMissingValueForAPrimitiveAsAValueThatDoesNotConvert() {
		assertThatExceptionOfType(ClientErrorException.class).isThrownBy(() -> resolve(0, invocation()))
			.withMessage("invalid value for path variable 'room'");
	}

	@Test
	void needsTheNameOfAnUnnamedParameterCompiledIn() {
		// What a class compiled without -parameters gives: no names.
		ParameterNameDiscoverer withoutNames = new PrioritizedParameterNameDiscoverer();
		MethodParameter page = parameter(1);
		page.initParameterNameDiscovery(withoutNames);
		MethodParameter tenant = parameter(3);
		tenant.initParameterNameDiscovery(withoutNames);
		assertThatIllegalStateException()
			.isThrownBy(() -> BuiltInArgumentResolvers.namedValue(page, this.conversionService))
			.withMessage("the name of the @QueryParam of parameter 1 is unknown: name it in the annotation or "
					+ "compile with -parameters");
		assertThatIllegalStateException().isThrownBy(() -> BuiltInArgumentResolvers.checkAttributeName(tenant))
			.withMessageContaining("the name of the @Attribute of parameter 3 is unknown");
	}

	@Test
	void givesAnInboundMessageParameterNullOutsideAMessage() {
		assertThat(resolve(5, invocation())).isNull();
	}

	@Test
	void givesAPrincipalSubtypeParameterNullForAnotherPrincipal() {
		SocketInvocationContext invocation = invocation();
		this.connection.principal = () -> "ada";
		assertThat(resolve(15, invocation)).isNull();
		this.connection.principal = new Admin("root");
		assertThat(resolve(15, invocation)).isEqualTo(new Admin("root"));
	}

	@Test
	void answersAJsonTreeOfAnotherSubtypeWithBadRequest() {
		SocketInvocationContext invocation = new SocketInvocationContext(this.connection, InboundMessage.text("[1]"),
				null, null);
		assertThatExceptionOfType(ClientErrorException.class)
			.isThrownBy(() -> payload(14, null).resolveArgument(parameter(14), invocation))
			.withMessage("unexpected JSON array")
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(ErrorCode.BAD_REQUEST));
	}

	@Test
	void resolvesWellKnownTypesFromTheInvocation() {
		InboundMessage message = InboundMessage.text("x");
		CloseStatus status = CloseStatus.GOING_AWAY;
		IllegalStateException exception = new IllegalStateException();
		SocketInvocationContext invocation = new SocketInvocationContext(this.connection, message, status, exception);
		assertThat(resolve(4, invocation)).isSameAs(this.connection);
		assertThat(resolve(5, invocation)).isSameAs(message);
		assertThat(resolve(6, invocation)).isSameAs(status);
		assertThat(resolve(7, invocation)).isSameAs(exception);
		assertThat(resolve(8, invocation)).isNull();
		this.connection.principal = () -> "ada";
		assertThat(((Principal) resolve(8, invocation)).getName()).isEqualTo("ada");
		assertThat(resolve(17, invocation)).as("no request id outside a numbered message").isNull();
		SocketInvocationContext numbered = SocketInvocationContext.message(this.connection, message, 42)
			.withException(exception);
		assertThat(resolve(17, numbered)).isEqualTo(new RequestId("i.c", 42));
		assertThat(resolve(17, numbered)).hasToString("i.c:42");
	}

	@Test
	void leavesPayloadsToThePayloadResolver() {
		for (int index = 9; index < 14; index++) {
			MethodParameter parameter = parameter(index);
			assertThat(BuiltInArgumentResolvers.namedValue(parameter, this.conversionService)).as(parameter.toString())
				.isNull();
			assertThat(this.resolvers.stream().noneMatch((resolver) -> resolver.supportsParameter(parameter)))
				.as(parameter.toString())
				.isTrue();
		}
	}

	@Test
	void convertsThePayloadToEachAcceptedType() {
		SocketInvocationContext invocation = new SocketInvocationContext(this.connection,
				InboundMessage.text("{\"text\":\"hi\"}"), null, null);
		assertThat(payload(9, null).resolveArgument(parameter(9), invocation)).isEqualTo("{\"text\":\"hi\"}");
		assertThat((byte[]) payload(10, null).resolveArgument(parameter(10), invocation)).hasSize(13);
		assertThat(((ByteBuffer) payload(11, null).resolveArgument(parameter(11), invocation)).isReadOnly()).isTrue();
		assertThat(((JsonNode) payload(12, null).resolveArgument(parameter(12), invocation)).get("text").asString())
			.isEqualTo("hi");
		assertThat(payload(13, null).resolveArgument(parameter(13), invocation)).isEqualTo(new Note("hi"));
		assertThat(payload(16, null).resolveArgument(parameter(16), invocation)).isEqualTo("{\"text\":\"hi\"}");
	}

	@Test
	void validatesAnnotatedPayloads() {
		LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
		validator.afterPropertiesSet();
		SocketInvocationContext invocation = new SocketInvocationContext(this.connection,
				InboundMessage.text("{\"text\":\"\"}"), null, null);
		assertThatExceptionOfType(ClientErrorException.class)
			.isThrownBy(() -> payload(13, validator).resolveArgument(parameter(13), invocation))
			.withMessage("text: must not be blank");
		validator.close();
	}

	private PayloadArgumentResolver payload(int index, @Nullable LocalValidatorFactoryBean validator) {
		return new PayloadArgumentResolver(parameter(index), this.codec, (validator != null) ? new Object[0] : null,
				validator);
	}

	private SocketInvocationContext invocation() {
		return new SocketInvocationContext(this.connection, null, null, null);
	}

	private @Nullable Object resolve(int index, SocketInvocationContext invocation) {
		MethodParameter parameter = parameter(index);
		SocketArgumentResolver resolver = BuiltInArgumentResolvers.namedValue(parameter, this.conversionService);
		if (resolver == null) {
			resolver = this.resolvers.stream()
				.filter((candidate) -> candidate.supportsParameter(parameter))
				.findFirst()
				.orElseThrow();
		}
		return resolver.resolveArgument(parameter, invocation);
	}

	private static MethodParameter parameter(int index) {
		Method method = ReflectionUtils.findMethod(Fixture.class, "handle", (Class<?>[]) null);
		MethodParameter parameter = new MethodParameter(method, index);
		parameter.initParameterNameDiscovery(new org.springframework.core.DefaultParameterNameDiscoverer());
		return parameter;
	}

	static class Fixture {

		@SuppressWarnings("unused")
		void handle(@PathParam("room") int room, @QueryParam Optional<Integer> page,
				@Header(value = "X-Trace", defaultValue = "none") String trace, @Attribute String tenant,
				SocketConnection connection, InboundMessage message, CloseStatus status, RuntimeException exception,
				Principal principal, String text, byte[] bytes, ByteBuffer buffer, JsonNode tree, @Valid Note note,
				ObjectNode object, Admin admin, CharSequence chars, RequestId requestId) {
		}

	}

	record Note(@NotBlank String text) {
	}

	record Admin(String getName) implements Principal {
	}

	/**
	 * A connection made of plain maps.
	 */
	static class FakeConnection implements SocketConnection {

		final Map<String, String> pathVariables = new HashMap<>();

		final MultiValueMap<String, String> query = new LinkedMultiValueMap<>();

		final HttpHeaders headers = new HttpHeaders();

		final Map<String, Object> attributes = new HashMap<>();

		@Nullable Principal principal;

		@Override
		public String id() {
			return "i.c";
		}

		@Override
		public String socket() {
			return "fake";
		}

		@Override
		public @Nullable String user() {
			return (this.principal != null) ? this.principal.getName() : null;
		}

		@Override
		public @Nullable Principal principal() {
			return this.principal;
		}

		@Override
		public Map<String, Object> attributes() {
			return this.attributes;
		}

		@Override
		public HttpHeaders headers() {
			return this.headers;
		}

		@Override
		public MultiValueMap<String, String> queryParams() {
			return this.query;
		}

		@Override
		public Map<String, String> pathVariables() {
			return this.pathVariables;
		}

		@Override
		public URI uri() {
			return URI.create("ws://localhost/ws/fake");
		}

		@Override
		public @Nullable InetSocketAddress remoteAddress() {
			return null;
		}

		@Override
		public @Nullable String subprotocol() {
			return null;
		}

		@Override
		public Set<String> rooms() {
			return Set.of();
		}

		@Override
		public boolean isOpen() {
			return true;
		}

		@Override
		public Mono<Void> send(Object payload) {
			return Mono.empty();
		}

		@Override
		public Mono<Void> join(String room) {
			return Mono.empty();
		}

		@Override
		public Mono<Void> leave(String room) {
			return Mono.empty();
		}

		@Override
		public Mono<Void> close(CloseStatus status) {
			return Mono.empty();
		}

	}

}
