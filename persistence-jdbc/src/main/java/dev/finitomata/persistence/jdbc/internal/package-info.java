/** INTERNAL API. What Finitomata adds to pekko-persistence-jdbc. */
package dev.finitomata.persistence.jdbc.internal;
