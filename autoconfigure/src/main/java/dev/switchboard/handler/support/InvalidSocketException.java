package dev.switchboard.handler.support;

import dev.switchboard.SwitchboardException;

/**
 * A socket declaration that cannot work, reported at startup.
 *
 * @since 0.1.0
 */
public class InvalidSocketException extends SwitchboardException {

	private static final long serialVersionUID = 1L;

	private final String culprit;

	private final String problem;

	InvalidSocketException(String culprit, String problem) {
		super(culprit + ": " + problem);
		this.culprit = culprit;
		this.problem = problem;
	}

	/**
	 * The class or method at fault, for example {@code ChatSocket.say(Say)}.
	 * @return the culprit
	 */
	public String getCulprit() {
		return this.culprit;
	}

	/**
	 * What is wrong with it.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

}
