/**
 * Internal: discovery, validation and invocation of handler methods, and the JSON codec
 * of the wire format. Only the few public types here are used by the runtime; none is
 * API.
 */
@NullMarked
package dev.switchboard.handler.support;

import org.jspecify.annotations.NullMarked;
