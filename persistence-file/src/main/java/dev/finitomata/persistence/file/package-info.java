/** The durable file journal and snapshot store: configuration paths and settings. */
package dev.finitomata.persistence.file;
