package dev.finitomata.persistence.jdbc.internal;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.pekko.persistence.PersistentRepr$;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.Function1;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import slick.jdbc.SimpleJdbcAction;

/**
 * INTERNAL API. pekko-persistence-jdbc's journal ({@code JdbcAsyncWriteJournal}), with a direct replay.
 *
 * <p>Design: the stock replay reads an actor's events through a Pekko stream it materializes for each recovery (and
 * another for each batch), which costs more CPU than reading the two or three rows an FSM typically has: when a node
 * fails over thousands of FSMs at once, that cost bounds how fast they come back. This journal keeps everything of
 * the plugin (writes, deletes, the highest sequence number, the schema, the connection pool) and replays with one
 * prepared statement, run as a Slick action on the plugin's own executor and connections, row by row, with the same
 * filter and order as the stock query and the same row-to-{@code PersistentRepr} mapping. A journal configured with
 * another DAO (a legacy schema) replays the stock way.
 */
public final class DirectReplayJdbcJournal extends JdbcAsyncWriteJournal {

    private static final String DEFAULT_DAO = "org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao";

    private final boolean direct;
    private final String query;
    private final Serialization serialization;

    /** Called by Pekko with the plugin's configuration. */
    public DirectReplayJdbcJournal(Config config) {
        super(config);
        this.direct = DEFAULT_DAO.equals(config.getString("dao"));
        this.serialization = SerializationExtension.get(context().system());
        Config table = config.getConfig("tables.event_journal");
        Config c = table.getConfig("columnNames");
        String schema = table.hasPath("schemaName") && !table.getIsNull("schemaName") ? table.getString("schemaName")
                : "";
        String name = (schema.isBlank() ? "" : schema + ".") + table.getString("tableName");
        this.query = "SELECT " + String.join(", ", c.getString("sequenceNumber"), c.getString("writer"),
                c.getString("writeTimestamp"), c.getString("adapterManifest"), c.getString("eventSerId"),
                c.getString("eventSerManifest"), c.getString("eventPayload"), c.getString("metaSerId"),
                c.getString("metaSerManifest"), c.getString("metaPayload"))
                + " FROM " + name + " WHERE " + c.getString("persistenceId") + " = ? AND "
                + c.getString("deleted") + " = false AND " + c.getString("sequenceNumber") + " >= ? AND "
                + c.getString("sequenceNumber") + " <= ? ORDER BY " + c.getString("sequenceNumber")
                + " ASC LIMIT ?";
    }

    @Override
    public Future<BoxedUnit> asyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr,
                                                 long max, Function1<PersistentRepr, BoxedUnit> recoveryCallback) {
        if (!direct || max <= 0) {
            return direct ? Future.successful(BoxedUnit.UNIT)
                    : super.asyncReplayMessages(persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback);
        }
        Function1<slick.jdbc.JdbcBackend.JdbcActionContext, BoxedUnit> replay = ctx -> {
            try {
                replay(ctx.connection(), persistenceId, Math.max(1, fromSequenceNr), toSequenceNr, max,
                        recoveryCallback);
            } catch (SQLException e) {
                throw new IllegalStateException("replaying " + persistenceId + " failed: " + e.getMessage(), e);
            }
            return BoxedUnit.UNIT;
        };
        return run(new SimpleJdbcAction<>(replay));
    }

    /** Slick's effect type parameter has no Java spelling: the action is a plain synchronous JDBC action. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Future<BoxedUnit> run(SimpleJdbcAction<BoxedUnit> action) {
        return db().run((slick.dbio.DBIOAction) action);
    }

    private void replay(Connection connection, String persistenceId, long from, long to, long max,
                        Function1<PersistentRepr, BoxedUnit> callback) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, persistenceId);
            statement.setLong(2, from);
            statement.setLong(3, to);
            statement.setLong(4, max);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    callback.apply(toRepr(persistenceId, rows));
                }
            }
        }
    }

    /** As pekko-persistence-jdbc's {@code PekkoSerialization.fromRow}. */
    private PersistentRepr toRepr(String persistenceId, ResultSet row) throws SQLException {
        Object payload = serialization.deserialize(row.getBytes(7), row.getInt(5), row.getString(6)).get();
        PersistentRepr repr = PersistentRepr$.MODULE$.apply(payload, row.getLong(1), persistenceId,
                row.getString(4), false, null, row.getString(2));
        byte[] metaPayload = row.getBytes(10);
        int metaSerId = row.getInt(8);
        if (metaPayload != null && !row.wasNull()) {
            String metaManifest = row.getString(9);
            repr = repr.withMetadata(serialization.deserialize(metaPayload, metaSerId,
                    metaManifest == null ? "" : metaManifest).get());
        }
        return repr.withTimestamp(row.getLong(3));
    }
}
