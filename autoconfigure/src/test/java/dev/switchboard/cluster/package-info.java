/**
 * Tests of several instances sharing a real Redis server.
 */
@NullMarked
package dev.switchboard.cluster;

import org.jspecify.annotations.NullMarked;
