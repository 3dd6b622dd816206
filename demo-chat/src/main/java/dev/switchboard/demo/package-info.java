/**
 * A chat application built on Switchboard.
 */
@NullMarked
package dev.switchboard.demo;

import org.jspecify.annotations.NullMarked;
