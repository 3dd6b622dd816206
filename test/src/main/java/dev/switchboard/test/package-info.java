/**
 * Testing Switchboard applications: {@link dev.switchboard.test.SocketTestClient}, a
 * WebSocket client with expectations; {@link dev.switchboard.test.SwitchboardInstances},
 * several instances of an application in one JVM;
 * {@link dev.switchboard.test.SwitchboardRedis}, a Redis server of the test class's own;
 * and the lower-level clients, servers and processes that Switchboard's own tests use.
 */
@NullMarked
package dev.switchboard.test;

import org.jspecify.annotations.NullMarked;
