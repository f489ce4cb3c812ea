package org.pingdialer.lab.stack;

import java.nio.file.Path;

/**
 * Runs one Asterisk instance from a rendered instance directory ({@code etc/} inside). The
 * implementations differ in where Asterisk comes from: a Debian rootfs started in a chroot, or a
 * Docker engine. Calls block until the instance is up (or down) and are made from one thread.
 */
interface AsteriskRuntime {
  /** A short name for logs and status output, e.g. {@code rootfs}. */
  String name();

  /**
   * Starts the instance and returns once Asterisk has fully booted.
   *
   * @param role {@code pbx} or {@code pstn}: which template set the instance was rendered from
   */
  void start(String role, Path instanceDir);

  /** Stops the instance; stopping a stopped instance is fine. */
  void stop(String role, Path instanceDir);

  /** Runs an Asterisk CLI command on the instance and returns its output. */
  String cli(String role, Path instanceDir, String command);

  /**
   * Freezes the instance's Asterisk (it answers nothing, SIP or ARI, until thawed; nothing is lost)
   * or thaws it: a hung, overloaded PBX for tests of the controller.
   */
  void freeze(String role, Path instanceDir, boolean frozen);

  /** Whether the instance's Asterisk process is alive. */
  boolean isRunning(String role, Path instanceDir);
}
