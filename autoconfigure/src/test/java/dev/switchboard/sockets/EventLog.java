package dev.switchboard.sockets;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.springframework.context.event.EventListener;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.switchboard.UserOfflineEvent;
import dev.switchboard.UserOnlineEvent;
import dev.switchboard.test.WsClient;

/**
 * What the server saw, in order, for tests to wait on: disconnects with their status,
 * presence events, and anything a socket chooses to record. Events are kept, not
 * consumed, so that a test can assert on all the events of a user.
 */
public class EventLog {

	private final List<Object> events = new ArrayList<>();

	synchronized void record(Object event) {
		this.events.add(event);
		notifyAll();
	}

	@EventListener
	void online(UserOnlineEvent event) {
		record(event);
	}

	@EventListener
	void offline(UserOfflineEvent event) {
		record(event);
	}

	/**
	 * The events of a type that match a filter, in the order they happened.
	 */
	public synchronized <T> List<T> events(Class<T> type, Predicate<? super T> filter) {
		return this.events.stream().filter(type::isInstance).map(type::cast).filter(filter).toList();
	}

	/**
	 * Waits until the events of a type that match a filter number at least {@code count}.
	 */
	public synchronized <T> List<T> await(Class<T> type, Predicate<? super T> filter, int count) {
		long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
		List<T> matching = events(type, filter);
		while (matching.size() < count) {
			long left = (deadline - System.nanoTime()) / 1_000_000;
			if (left <= 0) {
				throw new AssertionError("Expected " + count + " " + type.getSimpleName() + " within "
						+ WsClient.TIMEOUT + ", got " + matching);
			}
			try {
				wait(left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			matching = events(type, filter);
		}
		return matching;
	}

	/**
	 * Waits for the disconnect of a connection.
	 */
	public Disconnected disconnected(String connectionId) {
		return await(Disconnected.class, (event) -> event.connectionId().equals(connectionId), 1).get(0);
	}

	/**
	 * The presence events of a user, as "online" and "offline", once there are
	 * {@code count} of them.
	 */
	public List<String> presenceOf(String user, int count) {
		return await(Object.class, (event) -> userOf(event) != null && userOf(event).equals(user), count).stream()
			.map((event) -> (event instanceof UserOnlineEvent) ? "online" : "offline")
			.toList();
	}

	private static String userOf(Object event) {
		if (event instanceof UserOnlineEvent online) {
			return online.user();
		}
		return (event instanceof UserOfflineEvent offline) ? offline.user() : null;
	}

	/**
	 * A connection that closed, as its {@code @OnDisconnect} method saw it.
	 */
	public record Disconnected(String socket, String connectionId, CloseStatus status) {
	}

}
