/**
 * Finitomata module persistence-file.
 */
package dev.finitomata.persistence.file;
