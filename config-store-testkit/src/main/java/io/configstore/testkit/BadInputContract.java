package io.configstore.testkit;

/** Bad input: every public method rejects it with ValidationException and changes nothing. */
public interface BadInputContract extends StoreContract {
}
