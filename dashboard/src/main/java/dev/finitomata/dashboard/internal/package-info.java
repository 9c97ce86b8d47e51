/** INTERNAL API. The dashboard's catalog of FSM types (fed by a probe), its JSON API and its routes. */
package dev.finitomata.dashboard.internal;
