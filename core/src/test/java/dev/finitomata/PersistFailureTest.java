package dev.finitomata;

/** Journal failures and rejections on {@link Finitomata} (and, since it extends the contract, the whole runtime). */
class PersistFailureTest extends PersistFailureContract {
}
