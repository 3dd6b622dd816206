package dev.switchboard.autoconfigure;

import java.util.Locale;
import java.util.function.Supplier;

import jakarta.validation.Valid;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.core.MethodParameter;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.annotation.Header;
import dev.switchboard.annotation.NonBlocking;
import dev.switchboard.annotation.OnConnect;
import dev.switchboard.annotation.OnDisconnect;
import dev.switchboard.annotation.OnError;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;
import dev.switchboard.handler.SocketArgumentResolver;
import dev.switchboard.handler.SocketInvocation;
import dev.switchboard.handler.support.InvalidSocketException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Declarations that cannot work stop the application with a message naming the class and
 * method at fault.
 */
class InvalidSocketTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class, JacksonAutoConfiguration.class,
				WebFluxAutoConfiguration.class));

	private void assertFails(Supplier<?> socket, String culprit, String problem) {
		assertFails(socket, null, culprit, problem);
	}

	private void assertFails(Supplier<?> socket, Supplier<?> other, String culprit, String problem) {
		assertFails(this.runner, socket, other, culprit, problem);
	}

	private void assertFails(ReactiveWebApplicationContextRunner base, Supplier<?> socket, Supplier<?> other,
			String culprit, String problem) {
		ReactiveWebApplicationContextRunner runner = base.withBean("first", Object.class, socket::get);
		if (other != null) {
			runner = runner.withBean("second", Object.class, other::get);
		}
		runner.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().isInstanceOf(InvalidSocketException.class);
			InvalidSocketException failure = (InvalidSocketException) rootCause(context.getStartupFailure());
			assertThat(failure.getCulprit()).isEqualTo(culprit);
			assertThat(failure.getProblem()).contains(problem);
		});
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Test
	void failsOnTwoDefaultMessageHandlers() {
		assertFails(TwoDefaults::new, "InvalidSocketTests.TwoDefaults.b(String)",
				"second default @OnMessage method, after " + "InvalidSocketTests.TwoDefaults.a(String)");
	}

	@Test
	void failsOnTwoHandlersForOneType() {
		assertFails(TwoForOneType::new, "InvalidSocketTests.TwoForOneType.b()",
				"message type 'x' is already handled by InvalidSocketTests.TwoForOneType.a()");
	}

	@Test
	void failsOnTwoSocketsWithOneName() {
		assertFails(Twin::new, OtherTwin::new, "InvalidSocketTests.OtherTwin",
				"its socket name 'twin' is already used by InvalidSocketTests.Twin");
	}

	@Test
	void failsOnTwoOnDisconnectMethods() {
		assertFails(TwoDisconnects::new, "InvalidSocketTests.TwoDisconnects.b()", "at most one @OnDisconnect method");
	}

	@Test
	void failsOnTwoOnErrorMethodsForOneExceptionType() {
		assertFails(TwoErrorsForOneType::new, "InvalidSocketTests.TwoErrorsForOneType.b()",
				"IllegalStateException is already handled by InvalidSocketTests.TwoErrorsForOneType.a()");
	}

	@Test
	void failsOnAParameterNoResolverTakesInOnDisconnectAndOnError() {
		assertFails(PayloadOnDisconnect::new, "InvalidSocketTests.PayloadOnDisconnect.gone(String)",
				"parameter 0 (String) cannot be resolved: @OnDisconnect methods take no payload");
		assertFails(PayloadOnError::new, "InvalidSocketTests.PayloadOnError.failed(IllegalStateException, String)",
				"parameter 1 (String) cannot be resolved: @OnError methods take no payload");
	}

	@Test
	void failsOnAValidatedPayloadWithoutAValidator() {
		assertFails(ValidWithoutValidator::new, "InvalidSocketTests.ValidWithoutValidator.say(Note)",
				"its payload is annotated for validation, but Bean Validation is not available");
		assertFails(ValidatedWithoutValidator::new, "InvalidSocketTests.ValidatedWithoutValidator.say(Note)",
				"its payload is annotated for validation, but Bean Validation is not available");
	}

	@Test
	void failsOnAConcurrencyBelowOne() {
		assertFails(NoConcurrency::new, "InvalidSocketTests.NoConcurrency", "concurrency must be at least 1");
	}

	@Test
	void failsOnAPathThatDoesNotStartWithASlash() {
		assertFails(RelativePath::new, "InvalidSocketTests.RelativePath", "the path 'ws/relative' must start with '/'");
	}

	@Test
	void failsOnANameWithASlashAndNoPath() {
		assertFails(SlashInName::new, "InvalidSocketTests.SlashInName",
				"the socket name 'rooms/lobby' contains '/'; declare the path with @Socket(path = ...)");
	}

	@Test
	void findsHandlerMethodsOnSuperclasses() {
		assertFails(Inheriting::new, "InvalidSocketTests.Inheriting.b(String)",
				"second default @OnMessage method, after InvalidSocketTests.Base.a(String)");
	}

	@Test
	void failsOnTwoSocketsOnOnePath() {
		assertFails(One::new, Other::new, "InvalidSocketTests.Other",
				"its path '/ws/{x}' is already used by InvalidSocketTests.One");
	}

	@Test
	void failsOnAPayloadInOnConnect() {
		assertFails(PayloadOnConnect::new, "InvalidSocketTests.PayloadOnConnect.connect(String)",
				"parameter 0 (String) cannot be resolved: @OnConnect methods take no payload");
	}

	@Test
	void failsOnTwoPayloads() {
		assertFails(TwoPayloads::new, "InvalidSocketTests.TwoPayloads.say(String, String)",
				"parameter 1 is a second payload");
	}

	@Test
	void failsOnACloseStatusOutsideOnDisconnect() {
		assertFails(CloseStatusInMessage::new, "InvalidSocketTests.CloseStatusInMessage.say(CloseStatus)",
				"only @OnDisconnect methods receive the CloseStatus");
	}

	@Test
	void failsOnAnExceptionOutsideOnError() {
		assertFails(ExceptionInMessage::new, "InvalidSocketTests.ExceptionInMessage.say(RuntimeException)",
				"only @OnError methods receive an exception");
	}

	@Test
	void failsOnAnOnDisconnectThatReturnsAValue() {
		assertFails(DisconnectReturns::new, "InvalidSocketTests.DisconnectReturns.gone()",
				"nothing can be sent after a disconnect");
	}

	@Test
	void failsOnTwoOnConnectMethods() {
		assertFails(TwoConnects::new, "InvalidSocketTests.TwoConnects.b()", "at most one @OnConnect method");
	}

	@Test
	void failsOnAnOnErrorWithoutExceptionType() {
		assertFails(ErrorWithoutType::new, "InvalidSocketTests.ErrorWithoutType.failed()",
				"needs one exception parameter");
	}

	@Test
	void failsOnAPathParamThePathDoesNotHave() {
		assertFails(MissingPathVariable::new, "InvalidSocketTests.MissingPathVariable.connect(String)",
				"parameter 0 (String): the path '/ws/rooms/{room}' has no variable 'roomId'");
	}

	@Test
	void failsOnAHeaderWithoutAName() {
		assertFails(UnnamedHeader::new, "InvalidSocketTests.UnnamedHeader.connect(String)",
				"parameter 0 (String): the @Header of parameter 0 has no name");
	}

	@Test
	void failsOnAnInvalidSizeOrTimeout() {
		assertFails(BadSize::new, "InvalidSocketTests.BadSize", "maxMessageSize 'lots' is not a valid size");
		assertFails(BadTimeout::new, "InvalidSocketTests.BadTimeout.say()", "timeout 'soon' is not a valid duration");
	}

	@Test
	void failsOnATimeoutThatCannotStopANonBlockingMethod() {
		assertFails(TimedNonBlocking::new, "InvalidSocketTests.TimedNonBlocking.say(String)",
				"it is @NonBlocking and returns String, which no timeout can stop");
	}

	@Test
	void acceptsATimeoutOnANonBlockingMethodThatReturnsAReactiveType() {
		this.runner.withBean("timed", Object.class, TimedReactiveNonBlocking::new)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void failsOnAPrivateHandlerMethodOfAProxiedSocket() {
		assertFails(() -> {
			ProxyFactory proxy = new ProxyFactory(new PrivateOnProxy());
			proxy.setProxyTargetClass(true);
			return proxy.getProxy();
		}, "InvalidSocketTests.PrivateOnProxy.say(String)", "Switch its visibility to package or protected");
	}

	@Test
	void failsOnAResolverThatCannotTellWhetherItSupportsAParameterNamingTheParameter() {
		SocketArgumentResolver failing = new SocketArgumentResolver() {

			@Override
			public boolean supportsParameter(MethodParameter parameter) {
				throw new IllegalStateException();
			}

			@Override
			public Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
				return Locale.ENGLISH;
			}

		};
		assertFails(this.runner.withBean(SocketArgumentResolver.class, () -> failing), ResolverFails::new, null,
				"InvalidSocketTests.ResolverFails.say(Locale)", "parameter 0 (Locale): " + failing.getClass().getName()
						+ " failed with java.lang.IllegalStateException");
	}

	@Test
	void explainsTheFailureAtStartup() {
		FailureAnalysis analysis = new SwitchboardFailureAnalyzer()
			.analyze(new IllegalStateException(new InvalidSocketTestsFailure().get()));
		assertThat(analysis.getDescription()).isEqualTo("Switchboard cannot serve Chat.say(String): it is broken.");
		assertThat(analysis.getAction()).contains("Fix the declaration of Chat.say(String)");
	}

	/**
	 * Makes an InvalidSocketException the way the factory does, through a failing start.
	 */
	static class InvalidSocketTestsFailure implements Supplier<Throwable> {

		@Override
		public Throwable get() {
			try {
				java.lang.reflect.Constructor<InvalidSocketException> constructor = InvalidSocketException.class
					.getDeclaredConstructor(String.class, String.class);
				constructor.setAccessible(true);
				return constructor.newInstance("Chat.say(String)", "it is broken");
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	static class Base {

		@OnMessage
		void a(String text) {
		}

	}

	@Socket("inheriting")
	static class Inheriting extends Base {

		@OnMessage
		void b(String text) {
		}

	}

	@Socket(name = "twin", path = "/ws/twin/a")
	static class Twin {

	}

	@Socket(name = "twin", path = "/ws/twin/b")
	static class OtherTwin {

	}

	@Socket("two-disconnects")
	static class TwoDisconnects {

		@OnDisconnect
		void a() {
		}

		@OnDisconnect
		void b() {
		}

	}

	@Socket("two-errors-for-one-type")
	static class TwoErrorsForOneType {

		@OnError(IllegalStateException.class)
		void a() {
		}

		@OnError({ IllegalArgumentException.class, IllegalStateException.class })
		void b() {
		}

	}

	@Socket("payload-on-disconnect")
	static class PayloadOnDisconnect {

		@OnDisconnect
		void gone(String text) {
		}

	}

	@Socket("payload-on-error")
	static class PayloadOnError {

		@OnError
		void failed(IllegalStateException ex, String text) {
		}

	}

	@Socket("valid-without-validator")
	static class ValidWithoutValidator {

		@OnMessage
		void say(@Valid Note note) {
		}

	}

	@Socket("validated-without-validator")
	static class ValidatedWithoutValidator {

		@OnMessage
		void say(@Validated Note note) {
		}

	}

	record Note(String text) {
	}

	@Socket(name = "no-concurrency", concurrency = 0)
	static class NoConcurrency {

	}

	@Socket(name = "relative-path", path = "ws/relative")
	static class RelativePath {

	}

	@Socket("rooms/lobby")
	static class SlashInName {

	}

	@Socket("two-defaults")
	static class TwoDefaults {

		@OnMessage
		void a(String text) {
		}

		@OnMessage
		void b(String text) {
		}

	}

	@Socket("two-for-one-type")
	static class TwoForOneType {

		@OnMessage("x")
		void a() {
		}

		@OnMessage({ "y", "x" })
		void b() {
		}

	}

	@Socket(name = "one", path = "/ws/{a}")
	static class One {

	}

	@Socket(name = "other", path = "/ws/{x}")
	static class Other {

	}

	@Socket("payload-on-connect")
	static class PayloadOnConnect {

		@OnConnect
		void connect(String text) {
		}

	}

	@Socket("two-payloads")
	static class TwoPayloads {

		@OnMessage
		void say(String a, String b) {
		}

	}

	@Socket("close-status-in-message")
	static class CloseStatusInMessage {

		@OnMessage
		void say(CloseStatus status) {
		}

	}

	@Socket("exception-in-message")
	static class ExceptionInMessage {

		@OnMessage
		void say(RuntimeException ex) {
		}

	}

	@Socket("disconnect-returns")
	static class DisconnectReturns {

		@OnDisconnect
		Flux<String> gone() {
			return Flux.empty();
		}

	}

	@Socket("two-connects")
	static class TwoConnects {

		@OnConnect
		void a() {
		}

		@OnConnect
		void b() {
		}

	}

	@Socket("error-without-type")
	static class ErrorWithoutType {

		@OnError
		void failed() {
		}

	}

	@Socket(name = "missing-path-variable", path = "/ws/rooms/{room}")
	static class MissingPathVariable {

		@OnConnect
		void connect(@dev.switchboard.annotation.PathParam String roomId) {
		}

	}

	@Socket("private-on-proxy")
	static class PrivateOnProxy {

		@OnMessage
		private void say(String text) {
		}

	}

	@Socket("resolver-fails")
	static class ResolverFails {

		@OnMessage
		void say(Locale locale) {
		}

	}

	@Socket("unnamed-header")
	static class UnnamedHeader {

		@OnConnect
		void connect(@Header("") String agent) {
		}

	}

	@Socket(name = "bad-size", maxMessageSize = "lots")
	static class BadSize {

	}

	@Socket("bad-timeout")
	static class BadTimeout {

		@OnMessage(timeout = "soon")
		void say() {
		}

	}

	@Socket("timed-non-blocking")
	@NonBlocking
	static class TimedNonBlocking {

		@OnMessage(timeout = "1s")
		String say(String text) {
			return text;
		}

	}

	@Socket("timed-reactive-non-blocking")
	@NonBlocking
	static class TimedReactiveNonBlocking {

		@OnMessage(timeout = "1s")
		Mono<String> say(String text) {
			return Mono.just(text);
		}

	}

}
