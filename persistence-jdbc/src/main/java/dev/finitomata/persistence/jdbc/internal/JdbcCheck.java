package dev.finitomata.persistence.jdbc.internal;

import com.typesafe.config.Config;
import dev.finitomata.spi.StoreCheck;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * INTERNAL API. The JDBC journal's and snapshot store's check at supervisor creation: their database settings are
 * there, and a real connection opens within a few seconds (the PostgreSQL driver's own connect and login timeouts,
 * not the pool's, which retries for its whole connection timeout). Named by {@code finitomata-check} in this module's
 * reference.conf.
 */
public final class JdbcCheck implements StoreCheck {

    private static final int TIMEOUT_SECONDS = 2;

    @Override
    public void check(Config config, String pluginPath) throws SQLException {
        String shared = config.hasPath(pluginPath + ".use-shared-db")
                ? config.getString(pluginPath + ".use-shared-db") : "";
        String db = shared.isEmpty() ? pluginPath + ".slick.db" : "pekko-persistence-jdbc.shared-databases." + shared
                + ".db";
        if (!config.hasPath(db + ".url")) {
            throw new IllegalStateException("no JDBC URL: " + db + ".url is not set; configure the database with "
                    + "JdbcPersistence.config(url, user, password), or set " + db + ".url, .user and .password");
        }
        String url = config.getString(db + ".url");
        Properties properties = new Properties();
        if (config.hasPath(db + ".user")) {
            properties.setProperty("user", config.getString(db + ".user"));
        }
        if (config.hasPath(db + ".password")) {
            properties.setProperty("password", config.getString(db + ".password"));
        }
        properties.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
        properties.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS));
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            connection.isValid(TIMEOUT_SECONDS);
        } catch (SQLException e) {
            throw new SQLException("cannot connect to " + url + " (" + db + ".url, .user, .password): "
                    + e.getMessage(), e.getSQLState(), e);
        }
    }
}
