/**
 * Finitomata on PostgreSQL through pekko-persistence-jdbc: {@link dev.finitomata.persistence.jdbc.JdbcPersistence}.
 */
package dev.finitomata.persistence.jdbc;
