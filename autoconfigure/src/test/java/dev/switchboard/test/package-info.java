/**
 * Test support shared by Switchboard's tests and demo-chat's: WebSocket clients, a Redis
 * server and application instances in separate processes.
 */
@NullMarked
package dev.switchboard.test;

import org.jspecify.annotations.NullMarked;
