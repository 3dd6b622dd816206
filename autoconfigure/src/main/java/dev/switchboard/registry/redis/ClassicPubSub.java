package dev.switchboard.registry.redis;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Classic publish and subscribe through Spring Data Redis, on a connection of its own.
 */
final class ClassicPubSub implements RegistryPubSub {

	private static final Log logger = LogFactory.getLog(ClassicPubSub.class);

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final ReactiveRedisTemplate<byte[], byte[]> template;

	private volatile @Nullable ReactiveRedisMessageListenerContainer container;

	private volatile @Nullable Disposable subscription;

	ClassicPubSub(ReactiveRedisConnectionFactory connectionFactory, ReactiveRedisTemplate<byte[], byte[]> template) {
		this.connectionFactory = connectionFactory;
		this.template = template;
	}

	@Override
	public Mono<Long> publish(String channel, byte[] message) {
		return this.template.convertAndSend(channel, message);
	}

	@Override
	public Mono<Void> subscribe(List<String> channels, BiConsumer<String, byte[]> onMessage,
			Consumer<Throwable> onFailure) {
		return Mono.defer(() -> {
			close();
			ReactiveRedisMessageListenerContainer container = new ReactiveRedisMessageListenerContainer(
					this.connectionFactory);
			this.container = container;
			List<ChannelTopic> topics = channels.stream().map(ChannelTopic::of).toList();
			return container
				.receiveLater(topics, SerializationPair.fromSerializer(RedisSerializer.string()),
						SerializationPair.fromSerializer(RedisSerializer.byteArray()))
				.doOnNext((messages) -> this.subscription = messages
					.subscribe((message) -> onMessage.accept(message.getChannel(), message.getMessage()), onFailure))
				.then();
		});
	}

	@Override
	public void close() {
		Disposable subscription = this.subscription;
		if (subscription != null) {
			subscription.dispose();
		}
		ReactiveRedisMessageListenerContainer container = this.container;
		if (container != null) {
			container.destroyLater().subscribe(null, (ex) -> logger.debug("Could not close a subscription", ex));
		}
		this.subscription = null;
		this.container = null;
	}

}
