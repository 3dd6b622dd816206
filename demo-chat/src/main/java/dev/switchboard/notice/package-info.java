/**
 * A notice sent to the demo from a process of its own.
 */
@NullMarked
package dev.switchboard.notice;

import org.jspecify.annotations.NullMarked;
