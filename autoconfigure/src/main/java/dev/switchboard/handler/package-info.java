/**
 * Extension points of handler methods: custom argument resolvers and the messages they
 * see.
 */
@NullMarked
package dev.switchboard.handler;

import org.jspecify.annotations.NullMarked;
