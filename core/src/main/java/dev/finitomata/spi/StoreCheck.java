package dev.finitomata.spi;

import com.typesafe.config.Config;

/**
 * A store's own check that its settings work, run when a supervisor is created (once per plugin per ActorSystem),
 * before its journal or snapshot store is asked anything: for example a JDBC store's connection attempt with a short
 * timeout. A store names its check in its plugin's configuration, {@code <plugin>.finitomata-check = "<class>"}; the
 * class needs a public no-argument constructor.
 *
 * <p>Called on a thread of its own (it may block, within {@code finitomata.plugin-check-timeout}), never on the
 * caller's thread.
 */
public interface StoreCheck {

    /**
     * Checks the plugin configured at {@code pluginPath} in {@code config} (the ActorSystem's configuration).
     *
     * @throws Exception saying what does not work and which key to fix; the first call to the supervisor fails
     *                   with it
     */
    void check(Config config, String pluginPath) throws Exception;
}
