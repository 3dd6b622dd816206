package dev.switchboard;

/**
 * Published as a Spring application event when a user's last connection in the cluster
 * closes. It is published exactly once: on the instance where that connection closed, or
 * on the instance that purged the connections of a dead instance.
 *
 * @param user the user's name
 * @param connectionId the last connection of the user
 * @since 0.1.0
 */
public record UserOfflineEvent(String user, String connectionId) {

}
