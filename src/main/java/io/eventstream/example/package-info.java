/** Examples of the public API that ship in the WAR and are under test: the current time every second. */
package io.eventstream.example;
