package dev.switchboard.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class DemoChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoChatApplication.class, args);
	}

}
