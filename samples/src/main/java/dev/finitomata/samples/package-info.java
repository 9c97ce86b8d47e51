/** The demo: an order-fulfilment FSM on a real cluster of node JVMs sharing PostgreSQL. */
package dev.finitomata.samples;
