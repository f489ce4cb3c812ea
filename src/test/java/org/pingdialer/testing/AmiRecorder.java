package org.pingdialer.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pingdialer.call.ami.AmiMonitor;
import org.pingdialer.call.ami.ContactStatus;

/** Collects what an {@link AmiMonitor} reports, for assertions from the test thread. */
public final class AmiRecorder implements AmiMonitor.Listener {
  private final List<ContactStatus> contacts = new CopyOnWriteArrayList<>();
  private final List<Boolean> connections = new CopyOnWriteArrayList<>();

  @Override
  public void onContactStatus(ContactStatus status) {
    contacts.add(status);
  }

  @Override
  public void onConnection(boolean connected) {
    connections.add(connected);
  }

  /** Every contact status so far, in arrival order. */
  public List<ContactStatus> contacts() {
    return List.copyOf(contacts);
  }

  /** Every connection change so far: {@code false} lost, {@code true} back. */
  public List<Boolean> connections() {
    return List.copyOf(connections);
  }
}
