package dev.switchboard.docs;

import java.security.Principal;
import java.util.Set;

// tag::principal[]
record ChatUser(String name, Set<String> roles) implements Principal {

	@Override
	public String getName() {
		return this.name;
	}

	boolean hasRole(String role) {
		return this.roles.contains(role);
	}

}
// end::principal[]
