package dev.switchboard.docs;

import java.util.List;
import java.util.Locale;

import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.switchboard.handler.SocketArgumentResolver;
import dev.switchboard.handler.SocketInvocation;

// tag::resolver[]
@Component
@Order(0)
class LocaleArgumentResolver implements SocketArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return Locale.class.equals(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, SocketInvocation invocation) {
		List<Locale.LanguageRange> ranges = invocation.connection().headers().getAcceptLanguage();
		return ranges.isEmpty() ? Locale.ENGLISH : Locale.forLanguageTag(ranges.get(0).getRange());
	}

}
// end::resolver[]
