/**
 * End-to-end tests of one instance with real clients, and the application they run.
 */
@NullMarked
package dev.switchboard.sockets;

import org.jspecify.annotations.NullMarked;
