package dev.switchboard.handler.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

import dev.switchboard.annotation.Socket;

/**
 * Works out a socket's settings from its {@code @Socket} annotation, whose attributes may
 * hold {@code ${...}} placeholders, and the global defaults.
 */
final class SocketSettingsResolver {

	private final ConfigurableBeanFactory beanFactory;

	private final SocketSettings.Defaults defaults;

	SocketSettingsResolver(ConfigurableBeanFactory beanFactory, SocketSettings.Defaults defaults) {
		this.beanFactory = beanFactory;
		this.defaults = defaults;
	}

	SocketSettings resolve(String beanName, Class<?> type, Socket socket) {
		String culprit = ClassUtils.getShortName(type);
		String name = resolve(socket.name());
		if (name.isEmpty()) {
			name = beanName;
		}
		String path = resolve(socket.path());
		if (path.isEmpty()) {
			if (name.contains("/")) {
				throw new InvalidSocketException(culprit, "the socket name '" + name
						+ "' contains '/'; declare the path with @Socket(path = ...) and a plain name");
			}
			path = this.defaults.pathPrefix() + "/" + name;
		}
		if (!path.startsWith("/")) {
			throw new InvalidSocketException(culprit, "the path '" + path + "' must start with '/'");
		}
		int maxMessageSize = sizeOf(culprit, resolve(socket.maxMessageSize()));
		Duration timeout = timeout(culprit, socket.handlerTimeout(), this.defaults.handlerTimeout());
		List<String> origins = Arrays.stream(socket.allowedOrigins()).map(this::resolve).toList();
		List<String> subprotocols = Arrays.stream(socket.subprotocols()).map(this::resolve).toList();
		if (socket.concurrency() < 1) {
			throw new InvalidSocketException(culprit, "concurrency must be at least 1");
		}
		return new SocketSettings(name, path, maxMessageSize, timeout, origins.isEmpty() ? null : origins, subprotocols,
				socket.concurrency(), socket.ordered(), socket.authenticated(), socket.recovery());
	}

	/**
	 * Resolves a timeout declared on an annotation.
	 * @param culprit who declared it, for the error message
	 * @param declared the declared value, empty for the fallback
	 * @param fallback the timeout when none is declared
	 * @return the timeout, {@code null} for none (zero or negative)
	 * @throws InvalidSocketException when it is not a duration
	 */
	@Nullable Duration timeout(String culprit, String declared, @Nullable Duration fallback) {
		String value = resolve(declared);
		if (value.isEmpty()) {
			return fallback;
		}
		try {
			Duration duration = DurationStyle.detectAndParse(value);
			return (duration.isZero() || duration.isNegative()) ? null : duration;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSocketException(culprit, "timeout '" + value + "' is not a valid duration");
		}
	}

	private int sizeOf(String culprit, String value) {
		if (value.isEmpty()) {
			return this.defaults.maxMessageSize();
		}
		try {
			long bytes = DataSize.parse(value).toBytes();
			if (bytes < 1 || bytes > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("out of range");
			}
			return (int) bytes;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSocketException(culprit, "maxMessageSize '" + value + "' is not a valid size");
		}
	}

	private String resolve(String value) {
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		return (resolved != null) ? resolved.trim() : "";
	}

}
