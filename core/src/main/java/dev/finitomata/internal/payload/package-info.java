/**
 * INTERNAL API. User payloads in journals and messages: their type ids and Jackson migrations, the check that a
 * payload survives serialization, and the Jackson module that keeps annotations off the public records.
 */
package dev.finitomata.internal.payload;
