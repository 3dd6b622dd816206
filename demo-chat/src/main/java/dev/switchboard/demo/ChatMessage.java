package dev.switchboard.demo;

import java.time.Instant;

/**
 * A message posted to a room, as the room's members receive it and the history keeps it.
 *
 * @param messageId unique id, which lets the page drop a message it already shows
 * @param room the room
 * @param from the user who posted it
 * @param text the text
 * @param sentAt when the server received it
 */
record ChatMessage(String messageId, String room, String from, String text, Instant sentAt) {

}
