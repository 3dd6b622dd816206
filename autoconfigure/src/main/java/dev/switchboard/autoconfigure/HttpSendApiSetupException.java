package dev.switchboard.autoconfigure;

/**
 * The HTTP send API is enabled with a setup that cannot serve it safely: no way to
 * authenticate its callers, a key too short, or a path that a socket takes.
 * {@link HttpSendApiFailureAnalyzer} explains it when it stops the application.
 */
final class HttpSendApiSetupException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String action;

	HttpSendApiSetupException(String problem, String action) {
		super("The HTTP send API (switchboard.http-api.enabled=true) cannot be served: " + problem);
		this.action = action;
	}

	String getAction() {
		return this.action;
	}

}
