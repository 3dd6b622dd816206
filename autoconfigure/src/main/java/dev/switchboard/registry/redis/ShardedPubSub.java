package dev.switchboard.registry.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sharded publish and subscribe ({@code SPUBLISH}, {@code SSUBSCRIBE}) on a Redis
 * Cluster, with Lettuce's cluster client, as Spring Data Redis has no API for it. A shard
 * channel lives on the master that serves its slot: a publish goes to that master only,
 * instead of to every node as a {@code PUBLISH} does.
 * <p>
 * Lettuce subscribes each channel on the node that serves its slot, but does not follow
 * the channel when the slot moves to another node, on a failover for one: the former
 * master may end the subscription with a {@code sunsubscribe} of its own, or, on a
 * failover that keeps the slot in its shard, the demoted master, now a replica, keeps the
 * subscription and goes on delivering what its new master publishes. When a channel's
 * slot is served by another node than the one it was subscribed on (on a
 * {@code sunsubscribe}, a topology change Lettuce reports, or a {@link #check()}), this
 * class ends the subscription and subscribes every channel again on a new connection. It
 * ends a subscription with an {@code SUNSUBSCRIBE} of each channel on the node it was
 * subscribed on, delivers what arrives until that node confirms, and only then closes the
 * connection and subscribes again: every message a node counted as received is delivered,
 * none arrives twice or out of order, and one published meanwhile finds no subscriber,
 * which its sender learns. A subscription that cannot be restored is reported to the
 * caller, who subscribes anew. As Lettuce takes its topology from one node's view, which
 * can lag a failover for a moment, a topology change or a check moves a subscription only
 * once the node it is on no longer says that it serves the channel's slot.
 * <p>
 * It uses the application's client (from
 * {@code LettuceConnectionFactory#getNativeClient()}) and never creates one of its own.
 */
final class ShardedPubSub implements RegistryPubSub {

	private static final Log logger = LogFactory.getLog(ShardedPubSub.class);

	/**
	 * How long to wait for Lettuce to use a topology it announced, before subscribing
	 * again: it announces the change just before it routes commands by it.
	 */
	private static final Duration TOPOLOGY_IN_USE = Duration.ofSeconds(1);

	/**
	 * How long a node has to say whether it still serves a channel's slot; one that does
	 * not answer in time is taken not to.
	 */
	private static final Duration ASK_NODE = Duration.ofSeconds(1);

	/**
	 * How long an ended subscription waits for its nodes to confirm that it ended: a node
	 * that went away never does.
	 */
	private static final Duration UNSUBSCRIBING = Duration.ofMillis(500);

	private final RedisClusterClient client;

	private final AtomicReference<@Nullable CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>>> publisher = new AtomicReference<>();

	private volatile @Nullable Subscription subscription;

	// The publisher's connections to the masters, by node id.
	private final Map<String, CompletableFuture<StatefulRedisConnection<byte[], byte[]>>> nodes = new ConcurrentHashMap<>();

	// Held while a message is delivered.
	private final Object delivering = new Object();

	/**
	 * Sharded publish and subscribe with the given client.
	 * @param client the application's cluster client
	 */
	ShardedPubSub(RedisClusterClient client) {
		this.client = client;
	}

	/**
	 * Subscribes to shard channels on a connection of its own, replacing any previous
	 * subscription, whose connection it closes.
	 * @param channels the channels' names
	 * @param onMessage what to do with a message: receives the channel's name and the
	 * message
	 * @param onFailure what to do when a channel could not be subscribed again after its
	 * slot moved: the subscription is then incomplete
	 * @return completes once Redis confirmed the subscription of every channel
	 */
	@Override
	public Mono<Void> subscribe(List<String> channels, BiConsumer<String, byte[]> onMessage,
			Consumer<Throwable> onFailure) {
		return Mono.defer(() -> {
			Subscription subscription = new Subscription(List.copyOf(channels), onMessage, onFailure);
			Subscription previous;
			synchronized (this) {
				previous = this.subscription;
				this.subscription = subscription;
			}
			// Opened now, so that the first publishes do not wait for it: those that wait
			// for one connection to open would go out in any order.
			publisher();
			// Not on the Redis client's event loop, where what follows may open the
			// connection that Spring Data Redis shares, which blocks until it is open.
			return subscription.after((previous != null) ? previous.end() : Mono.empty())
				.publishOn(Schedulers.boundedElastic());
		});
	}

	/**
	 * Publishes a message on a shard channel ({@code SPUBLISH}), on the master that
	 * serves the channel's slot.
	 * @param channel the channel's name
	 * @param message the message
	 * @return the number of clients that received it on that master
	 */
	@Override
	public Mono<Long> publish(String channel, byte[] message) {
		// Cancelling a publish cancels neither the connection that others wait for nor a
		// command already queued.
		return Mono.defer(() -> Mono.fromFuture(publisher(), true)).flatMap((connection) -> {
			byte[] key = bytes(channel);
			StatefulRedisConnection<byte[], byte[]> node = nodeConnection(connection, key);
			if (node == null) {
				return spublish(connection.async().spublish(key, message));
			}
			// A slot that moved since Lettuce's view: the cluster connection follows the
			// redirection.
			return spublish(node.async().spublish(key, message)).onErrorResume(ShardedPubSub::isRedirection,
					(ex) -> spublish(connection.async().spublish(key, message)));
		});
	}

	private static Mono<Long> spublish(RedisFuture<Long> published) {
		return Mono.fromFuture(published.toCompletableFuture(), true);
	}

	private static boolean isRedirection(Throwable ex) {
		String message = ex.getMessage();
		return message != null && (message.startsWith("MOVED") || message.startsWith("ASK"));
	}

	// Opens the connections to the masters before the first publish: a publish to a
	// master
	// whose connection is still opening goes through the cluster connection, and may be
	// overtaken by the next ones. Ready even if some fail to open.
	private CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>> openNodeConnections(
			StatefulRedisClusterConnection<byte[], byte[]> cluster) {
		List<CompletableFuture<?>> opening = new ArrayList<>();
		for (RedisClusterNode node : this.client.getPartitions()) {
			if (node.is(NodeFlag.UPSTREAM)) {
				opening.add(this.nodes
					.computeIfAbsent(node.getNodeId(), (id) -> cluster.getConnectionAsync(id).toCompletableFuture())
					.exceptionally((ex) -> null));
			}
		}
		return CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).thenApply((opened) -> cluster);
	}

	// The connection to the master that serves the key's slot, as Lettuce's cluster
	// connection uses it, once it is open. Publishing on it directly writes in the order
	// of the calls: the cluster connection looks each command's node connection up anew,
	// and while a topology refresh renews that lookup it writes some commands later, on
	// another thread, after commands that came after them.
	private @Nullable StatefulRedisConnection<byte[], byte[]> nodeConnection(
			StatefulRedisClusterConnection<byte[], byte[]> cluster, byte[] key) {
		RedisClusterNode master = this.client.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
		if (master == null) {
			return null;
		}
		CompletableFuture<StatefulRedisConnection<byte[], byte[]>> opening = this.nodes
			.computeIfAbsent(master.getNodeId(), (id) -> cluster.getConnectionAsync(id).toCompletableFuture());
		boolean open = opening.isDone() && !opening.isCompletedExceptionally();
		StatefulRedisConnection<byte[], byte[]> connection = open ? opening.join() : null;
		if (opening.isCompletedExceptionally() || (connection != null && !connection.isOpen())) {
			this.nodes.remove(master.getNodeId(), opening);
			return null;
		}
		return connection;
	}

	// One connection, opened on first use; opened again on the next use if that failed.
	private CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>> publisher() {
		CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>> current = this.publisher.get();
		if (current != null && !current.isCompletedExceptionally()) {
			return current;
		}
		CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>> opening = new CompletableFuture<>();
		if (!this.publisher.compareAndSet(current, opening)) {
			return publisher();
		}
		loadPartitions().thenCompose((loaded) -> this.client.connectAsync(ByteArrayCodec.INSTANCE))
			.thenCompose(this::openNodeConnections)
			.whenComplete((connection, ex) -> {
				if (ex != null) {
					opening.completeExceptionally(ex);
				}
				else {
					opening.complete(connection);
				}
			});
		return opening;
	}

	/**
	 * Closes the subscription's connection and the one for publishing, without waiting; a
	 * later call opens new ones.
	 */
	@Override
	public void close() {
		Subscription subscription;
		synchronized (this) {
			subscription = this.subscription;
			this.subscription = null;
		}
		if (subscription != null) {
			subscription.close();
		}
		CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>> publisher = this.publisher.getAndSet(null);
		// The node connections are the publisher's: they close with it.
		this.nodes.clear();
		if (publisher != null) {
			publisher.thenAccept(StatefulRedisClusterConnection::closeAsync);
		}
	}

	// Subscribes a subscription's channels again on a connection of its own, unless
	// another subscription replaced it meanwhile.
	private Mono<Void> reopen(Subscription stale) {
		return Mono.defer(() -> {
			Subscription fresh;
			synchronized (this) {
				if (this.subscription != stale) {
					return Mono.empty();
				}
				fresh = new Subscription(stale.channels, stale.onMessage, stale.onFailure);
				this.subscription = fresh;
			}
			// Ended first: the new one subscribes only once the old one can deliver
			// nothing more.
			return fresh.after(stale.end());
		});
	}

	/**
	 * Loads the Cluster's topology and subscribes again the channels whose slot moved
	 * since they were subscribed, for when no topology change reached this instance: a
	 * Lettuce without adaptive refresh, a missed event.
	 * @return completes when done
	 */
	@Override
	public Mono<Void> check() {
		return Mono.fromCompletionStage(this::loadPartitions).then(Mono.defer(() -> {
			Subscription subscription = this.subscription;
			// One still waiting for its predecessor to end, or still opening, was not
			// subscribed anywhere yet.
			return (subscription != null && subscription.connection != null)
					? subscription.movedForSure().flatMap((moved) -> moved ? reopen(subscription) : Mono.empty())
					: Mono.empty();
		}));
	}

	// Lettuce's asynchronous connects need the cluster's topology loaded, which only its
	// blocking connects and calls do on their own.
	private CompletionStage<Void> loadPartitions() {
		return this.client.refreshPartitionsAsync();
	}

	// The node that serves a channel's slot in a topology.
	private static @Nullable String nodeId(Partitions partitions, String channel) {
		RedisClusterNode node = partitions.getPartitionBySlot(SlotHash.getSlot(bytes(channel)));
		return (node != null) ? node.getNodeId() : null;
	}

	/**
	 * Whether a node still serves the given slots by its own account ({@code CLUSTER
	 * NODES} asked of it): a master that owns them all, with a configuration epoch at
	 * least that of the node another view names, which a failover would have raised.
	 * @param nodeId the node's id
	 * @param slots the slots
	 * @param claimed the highest epoch among the nodes that another view names for them
	 * @return whether it serves them; {@code false} when it cannot be asked
	 */
	private Mono<Boolean> stillServes(String nodeId, List<Integer> slots, long claimed) {
		return Mono
			.fromFuture(() -> publisher()
				.thenCompose((cluster) -> cluster.getConnectionAsync(nodeId, ConnectionIntent.READ))
				.thenCompose((node) -> node.async().clusterNodes())
				.toCompletableFuture(), true)
			.map((nodes) -> ClusterPartitionParser.parse(nodes)
				.stream()
				.filter((node) -> node.is(NodeFlag.MYSELF))
				.anyMatch((myself) -> myself.is(NodeFlag.UPSTREAM) && slots.stream().allMatch(myself::hasSlot)
						&& myself.getConfigEpoch() >= claimed))
			.timeout(ASK_NODE)
			.onErrorReturn(false);
	}

	private static byte[] bytes(String channel) {
		return channel.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The channels of one {@link #subscribe} call, on a connection of their own.
	 */
	private final class Subscription extends RedisClusterPubSubAdapter<byte[], byte[]> {

		private final List<String> channels;

		private final Set<String> wanted;

		private final BiConsumer<String, byte[]> onMessage;

		private final Consumer<Throwable> onFailure;

		private volatile @Nullable StatefulRedisClusterPubSubConnection<byte[], byte[]> connection;

		private volatile @Nullable Disposable topologyChanges;

		private volatile Map<String, String> subscribedOn = Map.of();

		// The address of the node each channel was subscribed on, by which Lettuce keys
		// the connection it subscribed on.
		private volatile Map<String, RedisURI> subscribedAt = Map.of();

		private volatile boolean closed;

		private volatile boolean retired;

		// Completes once the subscription this one replaces has ended.
		private volatile Mono<Void> predecessorEnded = Mono.empty();

		Subscription(List<String> channels, BiConsumer<String, byte[]> onMessage, Consumer<Throwable> onFailure) {
			this.channels = channels;
			this.wanted = Set.copyOf(channels);
			this.onMessage = onMessage;
			this.onFailure = onFailure;
		}

		// Opens once the subscription it replaces has ended.
		Mono<Void> after(Mono<Void> predecessorEnds) {
			Mono<Void> ended = predecessorEnds.cache();
			this.predecessorEnded = ended;
			return ended.then(open());
		}

		Mono<Void> open() {
			return Mono.defer(() -> {
				CompletableFuture<StatefulRedisClusterPubSubConnection<byte[], byte[]>> connecting = loadPartitions()
					.thenCompose((loaded) -> ShardedPubSub.this.client.connectPubSubAsync(ByteArrayCodec.INSTANCE))
					.toCompletableFuture();
				// Given up before it opened (a timeout, during an outage): closed once
				// open, as nothing holds it.
				return Mono.fromFuture(connecting, true).doOnCancel(() -> connecting.thenAccept((connection) -> {
					if (this.connection != connection) {
						connection.closeAsync();
					}
				}));
			}).flatMap((connection) -> {
				if (!listenTo(connection)) {
					connection.closeAsync();
					return Mono.error(new IllegalStateException("Subscription replaced while it was opened"));
				}
				return subscribeAll(connection, this.channels).then(Mono.fromRunnable(this::noteNodes));
			});
		}

		// The node each channel was subscribed on: Lettuce sends an SSUBSCRIBE to the
		// node that serves the channel's slot in the topology it knows.
		private void noteNodes() {
			Partitions partitions = ShardedPubSub.this.client.getPartitions();
			Map<String, String> nodes = new HashMap<>();
			Map<String, RedisURI> addresses = new HashMap<>();
			for (String channel : this.channels) {
				RedisClusterNode node = partitions.getPartitionBySlot(SlotHash.getSlot(bytes(channel)));
				if (node != null) {
					nodes.put(channel, node.getNodeId());
					addresses.put(channel, node.getUri());
				}
			}
			this.subscribedOn = nodes;
			this.subscribedAt = addresses;
		}

		// Whether a channel is served by another node than the one it was subscribed on.
		boolean moved() {
			Partitions partitions = ShardedPubSub.this.client.getPartitions();
			return this.channels.stream()
				.anyMatch((channel) -> !Objects.equals(this.subscribedOn.get(channel), nodeId(partitions, channel)));
		}

		// Whether a channel moved, by Lettuce's topology and by the account of the node
		// it was subscribed on: Lettuce takes one node's view of the topology, which can
		// lag a failover for a moment; a subscription moved on such a view would go back
		// to the demoted master, and its publishes would find no subscriber.
		Mono<Boolean> movedForSure() {
			Partitions partitions = ShardedPubSub.this.client.getPartitions();
			Map<String, List<Integer>> slotsByNode = new HashMap<>();
			Map<String, Long> claimedEpochs = new HashMap<>();
			for (String channel : this.channels) {
				String subscribedOn = this.subscribedOn.get(channel);
				int slot = SlotHash.getSlot(bytes(channel));
				RedisClusterNode owner = partitions.getPartitionBySlot(slot);
				if (Objects.equals(subscribedOn, (owner != null) ? owner.getNodeId() : null)) {
					continue;
				}
				if (subscribedOn == null || owner == null) {
					// Nothing to ask, or nobody serves the slot now: as moved() says.
					return Mono.just(true);
				}
				slotsByNode.computeIfAbsent(subscribedOn, (node) -> new ArrayList<>()).add(slot);
				claimedEpochs.merge(subscribedOn, owner.getConfigEpoch(), Math::max);
			}
			return Flux.fromIterable(slotsByNode.entrySet())
				.flatMap((entry) -> stillServes(entry.getKey(), entry.getValue(), claimedEpochs.get(entry.getKey())))
				.all(Boolean::booleanValue)
				.map((allStillServed) -> !allStillServed);
		}

		private synchronized boolean listenTo(StatefulRedisClusterPubSubConnection<byte[], byte[]> connection) {
			if (this.closed) {
				return false;
			}
			this.connection = connection;
			// Lettuce subscribes each channel on a connection to the node that serves
			// it; their messages reach this connection's listeners only so.
			connection.setNodeMessagePropagation(true);
			connection.addListener(this);
			this.topologyChanges = ShardedPubSub.this.client.getResources()
				.eventBus()
				.get()
				.filter(ClusterTopologyChangedEvent.class::isInstance)
				.cast(ClusterTopologyChangedEvent.class)
				.concatMap(this::whenInUse)
				.subscribe((event) -> reopenIfMoved("the cluster's topology changed", true));
			return true;
		}

		// Lettuce announces a topology before it routes by it: a channel subscribed
		// again before would stay on the node that no longer serves it, whose messages
		// are not delivered.
		private Mono<ClusterTopologyChangedEvent> whenInUse(ClusterTopologyChangedEvent event) {
			Partitions announced = new Partitions();
			announced.reload(event.after());
			return Flux.interval(Duration.ZERO, Duration.ofMillis(10))
				.filter((tick) -> this.channels.stream()
					.allMatch((channel) -> Objects.equals(nodeId(announced, channel),
							nodeId(ShardedPubSub.this.client.getPartitions(), channel))))
				.next()
				.timeout(TOPOLOGY_IN_USE, Mono.just(0L))
				.thenReturn(event);
		}

		// One SSUBSCRIBE a channel: channels of different slots live on different nodes.
		private Mono<Void> subscribeAll(StatefulRedisClusterPubSubConnection<byte[], byte[]> connection,
				List<String> channels) {
			return Flux.fromIterable(channels)
				.flatMap((channel) -> Mono.fromCompletionStage(() -> connection.async().ssubscribe(bytes(channel))))
				.then();
		}

		// A channel whose slot moved is subscribed on a connection of its own again, from
		// scratch: the node that served it keeps the subscription, and, a replica now,
		// would go on delivering what its new master publishes, which the new master
		// would deliver too. Closed first, so that no message arrives twice; what is
		// published meanwhile finds no subscriber, and its sender learns so. After a
		// topology change, the node is asked too (see movedForSure); after it ended the
		// subscription, it is not.
		void reopenIfMoved(String why, boolean askTheNode) {
			if (this.closed || !moved()) {
				return;
			}
			Mono<Boolean> moved = askTheNode ? movedForSure() : Mono.just(true);
			moved.filter(Boolean::booleanValue).flatMap((sure) -> {
				if (logger.isDebugEnabled()) {
					logger.debug("Subscribing again to " + this.channels + ": " + why);
				}
				return reopen(this);
			}).subscribe(null, (ex) -> {
				// Not once the whole is closed.
				if (ShardedPubSub.this.subscription != null) {
					this.onFailure.accept(ex);
				}
			});
		}

		@Override
		public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
			String name = new String(channel, StandardCharsets.UTF_8);
			String subscribedOn = this.subscribedOn.get(name);
			if (node != null && subscribedOn != null && !subscribedOn.equals(node.getNodeId())) {
				// Not the node it was subscribed on: a subscription Lettuce restored
				// there.
				return;
			}
			synchronized (ShardedPubSub.this.delivering) {
				if (this.retired) {
					return;
				}
				this.onMessage.accept(name, message);
			}
		}

		// Only the server ends a subscription: this class never unsubscribes a channel,
		// it closes the connection.
		@Override
		public void sunsubscribed(RedisClusterNode node, byte[] channel, long count) {
			String name = new String(channel, StandardCharsets.UTF_8);
			if (this.wanted.contains(name) && !this.closed) {
				// The slot moved: once Lettuce knows where to.
				Mono.fromCompletionStage(loadPartitions()).subscribe((loaded) -> {
				}, this.onFailure,
						() -> reopenIfMoved(node.getUri() + " ended the subscription, its slot moved", false));
			}
		}

		// Ends the subscription: unsubscribes each channel on the node it was subscribed
		// on, delivering what arrives until the node confirms, then closes the
		// connection.
		Mono<Void> end() {
			StatefulRedisClusterPubSubConnection<byte[], byte[]> connection;
			synchronized (this) {
				connection = this.connection;
				stopFollowing();
			}
			if (connection == null) {
				// Never opened: the one it replaced may still be ending, and the next
				// one waits for that too.
				close();
				return this.predecessorEnded;
			}
			Map<String, RedisURI> subscribedAt = this.subscribedAt;
			return Flux.fromIterable(subscribedAt.entrySet())
				.flatMap((entry) -> Mono
					.fromCompletionStage(
							() -> connection.getConnectionAsync(entry.getValue().getHost(), entry.getValue().getPort())
								.thenCompose((node) -> node.async().sunsubscribe(bytes(entry.getKey()))))
					// A node that no longer serves the slot answers MOVED: it carries
					// none of the channel's messages any more.
					.onErrorResume((ex) -> Mono.empty()))
				.then()
				.timeout(UNSUBSCRIBING)
				.onErrorResume((ex) -> {
					logger.debug("A subscription did not end within " + UNSUBSCRIBING + ": " + ex);
					return Mono.empty();
				})
				.doFinally((signal) -> close());
		}

		// No more subscribing again on its own.
		private synchronized void stopFollowing() {
			this.closed = true;
			Disposable topologyChanges = this.topologyChanges;
			if (topologyChanges != null) {
				topologyChanges.dispose();
			}
		}

		// Closes the connection at once; nothing more of it is delivered.
		synchronized void close() {
			stopFollowing();
			retire();
			StatefulRedisClusterPubSubConnection<byte[], byte[]> connection = this.connection;
			if (connection != null) {
				connection.closeAsync();
			}
		}

		// No message of this subscription is delivered any more: another receives them.
		synchronized void retire() {
			this.retired = true;
			StatefulRedisClusterPubSubConnection<byte[], byte[]> connection = this.connection;
			if (connection != null) {
				connection.removeListener(this);
			}
		}

	}

}
