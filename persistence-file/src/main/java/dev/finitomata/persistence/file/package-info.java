/** Placeholder until the file journal lands. */
package dev.finitomata.persistence.file;
