/**
 * Spring Boot auto-configuration of Switchboard and its configuration properties.
 */
@NullMarked
package dev.switchboard.autoconfigure;

import org.jspecify.annotations.NullMarked;
