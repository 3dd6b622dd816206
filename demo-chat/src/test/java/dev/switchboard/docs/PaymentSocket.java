package dev.switchboard.docs;

import dev.switchboard.annotation.OnError;
import dev.switchboard.annotation.OnMessage;
import dev.switchboard.annotation.Socket;

// tag::on-error[]
@Socket("payments")
class PaymentSocket {

	@OnMessage("pay")
	Paid pay(Pay pay) {
		if (pay.amount() > 100) {
			throw new InsufficientFundsException(pay.amount() - 100);
		}
		return new Paid(pay.amount());
	}

	@OnError
	Refused insufficientFunds(InsufficientFundsException ex) {
		return new Refused("insufficient funds", ex.getMissing());
	}

	@OnError({ IllegalArgumentException.class, IllegalStateException.class })
	Refused invalid() {
		return new Refused("invalid payment", 0);
	}

	record Pay(long amount) {
	}

	record Paid(long amount) {
	}

	record Refused(String refused, long missing) {
	}

	static class InsufficientFundsException extends RuntimeException {

		private final long missing;

		InsufficientFundsException(long missing) {
			super("missing " + missing);
			this.missing = missing;
		}

		long getMissing() {
			return this.missing;
		}

	}

}
// end::on-error[]
