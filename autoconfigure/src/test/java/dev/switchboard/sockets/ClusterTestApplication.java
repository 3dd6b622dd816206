package dev.switchboard.sockets;

import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The test application as a public entry point, for the multi-instance tests and for
 * instances started in a JVM of their own.
 */
@Configuration(proxyBeanMethods = false)
@Import(SocketsTestApplication.class)
public class ClusterTestApplication {

	public static void main(String[] args) {
		SpringApplication.run(ClusterTestApplication.class, args);
	}

}
