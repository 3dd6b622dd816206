/**
 * RFC 6455 conformance, checked with Autobahn|Testsuite's fuzzing client.
 */
@NullMarked
package dev.switchboard.conformance;

import org.jspecify.annotations.NullMarked;
