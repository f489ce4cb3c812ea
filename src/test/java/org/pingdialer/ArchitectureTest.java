package org.pingdialer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Third-party types stay in their adapter package (house style G1/G15). */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.pingdialer");

  @Test
  void okHttpOnlyInTheAriAdapter() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.pingdialer.call.ari..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("okhttp3..")
        .check(MAIN);
  }

  @Test
  void asteriskJavaOnlyInTheAmiAdapter() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.pingdialer.call.ami..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.asteriskjava..")
        .check(MAIN);
  }

  @Test
  void sqlFlywayAndHikariOnlyInTheStore() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.pingdialer.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "org.flywaydb..", "com.zaxxer.hikari..")
        .check(MAIN);
  }

  @Test
  void libphonenumberOnlyInTheLeadPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.pingdialer.lead..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.google.i18n.phonenumbers..")
        .check(MAIN);
  }

  // campaign, persona and serve (the controller's config) read their YAML files through Jackson's
  // tree model; lab speaks baresip's JSON control protocol; report writes its JSON rendering (one
  // renderer for the CLI and the API).
  @Test
  void jacksonOnlyWhereJsonIsSpoken() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "org.pingdialer.call.ari..",
            "org.pingdialer.cli..",
            "org.pingdialer.campaign..",
            "org.pingdialer.persona..",
            "org.pingdialer.lab..",
            "org.pingdialer.api..",
            "org.pingdialer.serve..",
            "org.pingdialer.store..",
            "org.pingdialer.report..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.fasterxml.jackson..")
        .check(MAIN);
  }
}
