package dev.switchboard.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an HTTP send API that cannot be served when it stops the application.
 */
class HttpSendApiFailureAnalyzer extends AbstractFailureAnalyzer<HttpSendApiSetupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, HttpSendApiSetupException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
