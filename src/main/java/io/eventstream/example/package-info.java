/**
 * Examples of the public API that ship in the WAR and are under test, served only with {@code eventstream.demo=true}:
 * the current time every second. They use {@code io.eventstream.api} only, as an application would.
 */
package io.eventstream.example;
