package dev.switchboard.docs.invalid;

import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

/**
 * The declaration that the startup failure of the annotation reference names: two payload
 * parameters. Public, so that the test in the parent package can start it.
 */
@Socket("orders")
public class OrderSocket {

	@OnMessage("place")
	void place(PlaceOrder order, PlaceOrder other) {
	}

	record PlaceOrder(String item, int quantity) {
	}

}
