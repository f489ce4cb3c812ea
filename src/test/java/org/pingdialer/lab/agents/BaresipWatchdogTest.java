package org.pingdialer.lab.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pingdialer.host.HostPrograms;

/**
 * The watchdog a lab phone runs under (issue 17): the phone dies with the controller that started
 * it, and its own exit ends the watchdog with its status. A {@code sleep} stands in for the
 * controller's JVM and for baresip.
 */
class BaresipWatchdogTest {
  private static Process watchdog(long jvm, String... phone) throws Exception {
    var line = new ArrayList<>(List.of("sh", "-c", BaresipPhone.WATCHDOG, "test", ""));
    line.set(4, String.valueOf(jvm));
    line.addAll(List.of(phone));
    return HostPrograms.listed().start(new ProcessBuilder(line));
  }

  @Test
  void thePhoneIsKilledWhenTheControllerIsGone() throws Exception {
    Process controller = HostPrograms.listed().start(new ProcessBuilder("sleep", "600"));
    Process watchdog = watchdog(controller.pid(), "sleep", "600");
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  watchdog
                      .descendants()
                      .anyMatch(p -> p.info().command().orElse("").endsWith("sleep")));
      ProcessHandle phone =
          watchdog
              .children()
              .filter(p -> p.info().command().orElse("").endsWith("sleep"))
              .findFirst()
              .orElseThrow();
      controller.destroyForcibly(); // kill -9 of the controller: no shutdown hook runs
      await().atMost(Duration.ofSeconds(5)).until(() -> !phone.isAlive());
      await().atMost(Duration.ofSeconds(5)).until(() -> !watchdog.isAlive());
    } finally {
      watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
      watchdog.destroyForcibly();
      controller.destroyForcibly();
    }
  }

  @Test
  void thePhonesOwnExitEndsTheWatchdogWithItsStatus() throws Exception {
    Process watchdog = watchdog(ProcessHandle.current().pid(), "sh", "-c", "exit 3");
    assertThat(watchdog.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(watchdog.exitValue()).isEqualTo(3);
  }
}
