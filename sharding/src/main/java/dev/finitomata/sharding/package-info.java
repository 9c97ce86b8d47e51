/**
 * Finitomata module sharding.
 */
package dev.finitomata.sharding;
