package org.pingdialer.call.ami;

import java.io.IOException;
import java.time.InstantSource;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.PingThread;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.CommandAction;
import org.asteriskjava.manager.action.CoreStatusAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.ContactStatusEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.response.CommandResponse;
import org.asteriskjava.manager.response.CoreStatusResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMI side of the controller: agent phone registrations, reloads and core status. The only
 * place asterisk-java is used; its types never leave this class.
 *
 * <p>asterisk-java reconnects by itself after a drop (and keeps listeners). A {@link PingThread}
 * notices a silently dead TCP connection. Its single dispatch thread delivers events and action
 * responses through one queue, so {@link Listener} methods must not block, and must never call the
 * blocking methods of this class (their responses would wait behind the listener).
 */
public final class AmiMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AmiMonitor.class);
  private static final long ACTION_TIMEOUT_MS = 5_000;

  /**
   * Receives AMI news. Called on asterisk-java's dispatch thread, one call at a time, in arrival
   * order; must not block and must not call back into {@link AmiMonitor}.
   */
  public interface Listener {
    void onContactStatus(ContactStatus status);

    /** The AMI connection came up ({@code true}) or was lost ({@code false}). */
    void onConnection(boolean connected);
  }

  /** What {@code CoreStatus} reports. */
  public record CoreStatus(String startup, String lastReload, int currentCalls) {}

  private final ManagerConnection connection;
  private final PingThread ping;

  private AmiMonitor(ManagerConnection connection, PingThread ping) {
    this.connection = connection;
    this.ping = ping;
  }

  /**
   * Logs in and starts delivering events.
   *
   * @throws AmiException when Asterisk refuses the login or does not answer
   */
  public static AmiMonitor connect(AmiEndpoint endpoint, InstantSource clock, Listener listener) {
    ManagerConnection connection =
        new ManagerConnectionFactory(
                endpoint.host(), endpoint.port(), endpoint.user(), endpoint.secret())
            .createManagerConnection();
    // Reconnect when nothing at all was read for a while (the ping keeps traffic flowing).
    connection.setSocketReadTimeout(30_000);
    connection.addEventListener(adapt(clock, listener));
    try {
      connection.login("system");
    } catch (AuthenticationFailedException e) {
      throw new AmiException(
          "AMI login as '"
              + endpoint.user()
              + "' refused at "
              + endpoint.host()
              + ":"
              + endpoint.port()
              + "; check the user and secret in manager.conf",
          e);
    } catch (IOException | TimeoutException e) {
      throw new AmiException(
          "no AMI at " + endpoint.host() + ":" + endpoint.port() + " (" + e.getMessage() + ")", e);
    }
    var ping = new PingThread(connection);
    ping.setInterval(10_000);
    ping.setName("ami-ping-" + endpoint.port());
    ping.setDaemon(true);
    ping.start();
    log.info("AMI connected to {}:{}", endpoint.host(), endpoint.port());
    return new AmiMonitor(connection, ping);
  }

  /** Whether the AMI session is logged in right now. */
  public boolean isConnected() {
    return connection.getState() == ManagerConnectionState.CONNECTED;
  }

  /** Asks Asterisk for its uptime and call count. Blocking; not from a listener. */
  public CoreStatus coreStatus() {
    ManagerResponse response = send(new CoreStatusAction());
    if (!(response instanceof CoreStatusResponse status)) {
      throw new AmiException("CoreStatus answered " + describe(response), null);
    }
    Integer calls = status.getCoreCurrentCalls();
    return new CoreStatus(
        status.getCoreStartupDate() + " " + status.getCoreStartupTime(),
        status.getCoreReloadDate() + " " + status.getCoreReloadTime(),
        calls == null ? 0 : calls);
  }

  /**
   * Reloads one module's configuration (e.g. {@code res_pjsip.so}, {@code pbx_config.so} for the
   * dialplan), or everything when {@code module} is empty. Blocking; not from a listener.
   */
  public void reload(String module) {
    String command = module.isEmpty() ? "core reload" : "module reload " + module;
    ManagerResponse response = send(new CommandAction(command));
    if (response instanceof CommandResponse output) {
      for (String line : output.getResult()) {
        if (line.contains("not found") || line.contains("failed")) {
          throw new AmiException("'" + command + "' failed: " + line, null);
        }
      }
    } else if (response instanceof ManagerError) {
      throw new AmiException("'" + command + "' failed: " + describe(response), null);
    }
  }

  @Override
  public void close() {
    ping.die();
    if (connection.getState() == ManagerConnectionState.CONNECTED
        || connection.getState() == ManagerConnectionState.RECONNECTING) {
      connection.logoff();
    }
  }

  private ManagerResponse send(ManagerAction action) {
    try {
      return connection.sendAction(action, ACTION_TIMEOUT_MS);
    } catch (IOException | TimeoutException | IllegalStateException e) {
      throw new AmiException(action.getAction() + " failed: " + e.getMessage(), e);
    }
  }

  private static String describe(ManagerResponse response) {
    return response == null ? "nothing" : response.getResponse() + " " + response.getMessage();
  }

  private static ManagerEventListener adapt(InstantSource clock, Listener listener) {
    return (ManagerEvent event) -> {
      // Convert at once: asterisk-java's mutable beans stop here.
      if (event instanceof ContactStatusEvent contact) {
        listener.onContactStatus(
            new ContactStatus(
                contact.getEndpointName(),
                contact.getAor(),
                contact.getUri(),
                ContactStatus.Status.fromAmi(contact.getContactStatus()),
                clock.instant()));
      } else if (event instanceof ConnectEvent) {
        listener.onConnection(true);
      } else if (event instanceof DisconnectEvent) {
        listener.onConnection(false);
      }
    };
  }

  /** AMI refused or failed an action; the message names what and where. */
  public static final class AmiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AmiException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
