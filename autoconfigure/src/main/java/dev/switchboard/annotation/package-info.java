/**
 * Annotations that declare sockets and their handler methods.
 */
@NullMarked
package dev.switchboard.annotation;

import org.jspecify.annotations.NullMarked;
