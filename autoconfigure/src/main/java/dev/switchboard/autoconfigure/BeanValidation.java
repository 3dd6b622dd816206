package dev.switchboard.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Finds the application's Bean Validation validator when Bean Validation is on the
 * classpath; kept apart so that its types are loaded only then.
 */
final class BeanValidation {

	private static final boolean PRESENT = ClassUtils.isPresent("jakarta.validation.Validator",
			BeanValidation.class.getClassLoader());

	private BeanValidation() {
	}

	static @Nullable SmartValidator validator(BeanFactory beanFactory) {
		return PRESENT ? Present.validator(beanFactory) : null;
	}

	private static final class Present {

		static @Nullable SmartValidator validator(BeanFactory beanFactory) {
			jakarta.validation.Validator validator = beanFactory.getBeanProvider(jakarta.validation.Validator.class)
				.getIfUnique();
			if (validator == null) {
				return null;
			}
			return (validator instanceof SmartValidator smart) ? smart : new SpringValidatorAdapter(validator);
		}

	}

}
