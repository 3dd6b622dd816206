package dev.switchboard;

/**
 * Published as a Spring application event when a user opens their first connection in the
 * cluster. It is published exactly once, on the instance where that connection opened.
 *
 * @param user the user's name
 * @param connectionId the connection that brought the user online
 * @since 0.1.0
 */
public record UserOnlineEvent(String user, String connectionId) {

}
