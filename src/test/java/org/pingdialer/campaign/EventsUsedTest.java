package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriEvent;

/**
 * The run's ARI event filter holds every event type the production code acts on: a type handled in
 * the engine, the desk or the stream but filtered out would simply never arrive.
 */
class EventsUsedTest {
  @Test
  void everyEventTypeTheCodeActsOnPassesTheFilter() {
    var classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pingdialer");
    Set<String> used = new TreeSet<>();
    for (JavaClass type : classes) {
      if (type.getPackageName().startsWith("org.pingdialer.lab")
          || type.getName().startsWith(AriEvent.class.getName())
          || (type.getPackageName().equals("org.pingdialer.call.ari")
              && !type.getSimpleName().equals("AriEventStream"))) {
        continue; // the lab's own monitors, the event types and their decoding
      }
      for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass();
        if (target.getEnclosingClass().map(c -> c.isEquivalentTo(AriEvent.class)).orElse(false)
            && target.isRecord()
            && !target.getSimpleName().equals("Unknown")) {
          used.add(target.getSimpleName());
        }
      }
    }
    assertThat(used).contains("StasisStart", "ChannelDestroyed", "ChannelDtmfReceived");
    assertThat(CampaignRun.EVENTS_USED).containsAll(used);
  }
}
