package dev.switchboard.docs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the transcripts of the docs that a test replays, so that
 * {@link DocsTranscriptsTests} can check that every transcript has one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Transcribes {

	/**
	 * The names of the transcripts, as their markers give them.
	 * @return the names
	 */
	String[] value();

}
