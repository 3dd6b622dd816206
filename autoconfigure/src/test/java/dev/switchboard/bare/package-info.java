/**
 * An application with none of Switchboard's optional modules, started on a class path
 * without them.
 */
@NullMarked
package dev.switchboard.bare;

import org.jspecify.annotations.NullMarked;
