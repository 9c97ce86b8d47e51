/**
 * INTERNAL API. The file journal: segments with checksums, group commit with fsync, recovery of torn tails, the
 * per-id index, compaction, and the snapshot store.
 */
package dev.finitomata.persistence.file.internal;
