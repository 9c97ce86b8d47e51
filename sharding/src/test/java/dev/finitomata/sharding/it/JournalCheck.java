package dev.finitomata.sharding.it;

import dev.finitomata.persistence.jdbc.EmbeddedPg;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether any FSM ever ran twice at once, as its journal in PostgreSQL shows: sequence numbers from 1 without a gap,
 * and each writer (an incarnation of the FSM actor) in one block, never writing again after another writer did.
 */
public final class JournalCheck {

    /** What the check found: events read, FSMs, and the problems (empty: none). */
    public record Verdict(int events, int fsms, List<String> problems) {
        @Override
        public String toString() {
            return events + " events of " + fsms + " FSMs, " + (problems.isEmpty()
                    ? "sequence numbers without gaps, writers never interleaved" : problems.size() + " problems: "
                    + problems.subList(0, Math.min(5, problems.size())));
        }
    }

    private JournalCheck() {
    }

    /** Checks the journal of every FSM of the cluster tests' supervisor in the database at {@code jdbcUrl}. */
    public static Verdict check(String jdbcUrl) throws java.sql.SQLException {
        Map<String, List<String>> writers = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int events = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedPg.USER, EmbeddedPg.PASSWORD);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT persistence_id, sequence_number, writer FROM event_journal "
                     + "WHERE persistence_id LIKE 'fsm|" + ClusterNode.SUPERVISOR + "|%' "
                     + "ORDER BY persistence_id, sequence_number")) {
            while (r.next()) {
                events++;
                String pid = r.getString(1);
                long seq = r.getLong(2);
                String writer = r.getString(3);
                long expected = last.getOrDefault(pid, 0L) + 1;
                if (seq != expected) {
                    problems.add(pid + ": sequence number " + seq + " where " + expected + " was due");
                }
                last.put(pid, seq);
                List<String> seen = writers.computeIfAbsent(pid, p -> new ArrayList<>());
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(writer)) {
                    if (seen.contains(writer)) {
                        problems.add(pid + ": writer " + writer + " wrote again at " + seq + " after another writer");
                    }
                    seen.add(writer);
                }
            }
        }
        return new Verdict(events, last.size(), problems);
    }
}
