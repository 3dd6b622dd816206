package dev.switchboard.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.switchboard.handler.support.InvalidSocketException;

/**
 * Explains a socket declaration that cannot work when it stops the application.
 */
class SwitchboardFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSocketException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSocketException cause) {
		return new FailureAnalysis("Switchboard cannot serve " + cause.getCulprit() + ": " + cause
			.getProblem() + ".", "Fix the declaration of " + cause.getCulprit()
					+ "; the annotation reference lists the parameters and return types each handler method accepts.",
				cause);
	}

}
