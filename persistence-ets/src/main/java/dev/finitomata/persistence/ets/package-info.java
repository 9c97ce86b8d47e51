/**
 * Finitomata module persistence-ets.
 */
package dev.finitomata.persistence.ets;
