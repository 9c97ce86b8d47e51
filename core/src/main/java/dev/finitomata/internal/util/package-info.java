/** INTERNAL API. Small helpers shared by the stores. */
package dev.finitomata.internal.util;
