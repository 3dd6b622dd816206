package dev.switchboard.docs;

import java.util.Locale;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::usage[]
@Socket("greetings")
class GreetingSocket {

	@OnMessage("greet")
	String greet(Locale locale) {
		return Locale.FRENCH.getLanguage().equals(locale.getLanguage()) ? "Bonjour" : "Hello";
	}

}
// end::usage[]
