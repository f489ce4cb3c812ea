package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AriEventTypesTest {

  /** Every concrete record reachable from the sealed interface, except the Unknown fallback. */
  static Set<Class<?>> permittedEventRecords() {
    Set<Class<?>> leaves = new HashSet<>();
    collect(AriEvent.class, leaves);
    leaves.remove(AriEvent.Unknown.class);
    return leaves;
  }

  private static void collect(Class<?> type, Set<Class<?>> leaves) {
    if (type.isSealed()) {
      for (Class<?> sub : type.getPermittedSubclasses()) {
        collect(sub, leaves);
      }
    } else {
      leaves.add(type);
    }
  }

  static Set<String> modelledEventNames() {
    Set<String> names = new TreeSet<>();
    for (JsonSubTypes.Type type : AriEvent.class.getAnnotation(JsonSubTypes.class).value()) {
      names.add(type.name());
    }
    return names;
  }

  @Test
  void everyPermittedRecordIsAJsonSubtypeAndViceVersa() {
    Set<Class<?>> annotated = new HashSet<>();
    for (JsonSubTypes.Type type : AriEvent.class.getAnnotation(JsonSubTypes.class).value()) {
      annotated.add(type.value());
    }
    assertThat(annotated).isEqualTo(permittedEventRecords());
  }

  @Test
  void eachSubtypeIsNamedAfterItsRecord() {
    for (JsonSubTypes.Type type : AriEvent.class.getAnnotation(JsonSubTypes.class).value()) {
      assertThat(type.value().getSimpleName())
          .as("name of %s", type.value())
          .isEqualTo(type.name());
    }
  }

  @Test
  void everyEventRecordCarriesTimestampAndApplication() {
    for (Class<?> record : permittedEventRecords()) {
      var components = Arrays.stream(record.getRecordComponents()).map(c -> c.getName()).toList();
      assertThat(components).as("components of %s", record).contains("timestamp", "application");
    }
  }
}
