package dev.switchboard.docs;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::routing[]
@Socket("orders")
class OrderSocket {

	@OnMessage("place")
	Placed place(@Valid PlaceOrder order) {
		return new Placed(UUID.randomUUID().toString(), order.item(), order.quantity());
	}

	@OnMessage({ "cancel", "abort" })
	Cancelled cancel(CancelOrder cancel) {
		return new Cancelled(cancel.orderId());
	}

	@OnMessage
	String other(String text) {
		return "unsupported message: " + text;
	}

	record PlaceOrder(@NotBlank String item, @Positive int quantity) {
	}

	record Placed(String orderId, String item, int quantity) {
	}

	record CancelOrder(String orderId) {
	}

	record Cancelled(String orderId) {
	}

}
// end::routing[]
