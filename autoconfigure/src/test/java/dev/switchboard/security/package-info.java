/**
 * Tests of Spring Security integration.
 */
@NullMarked
package dev.switchboard.security;

import org.jspecify.annotations.NullMarked;
