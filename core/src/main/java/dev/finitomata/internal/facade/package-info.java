/**
 * INTERNAL API. What both facades ({@code Finitomata}, {@code Infinitomata}) share: argument checks, answers turned
 * into results and exceptions, the startup checks.
 */
package dev.finitomata.internal.facade;
