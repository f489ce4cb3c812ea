package org.pingdialer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout, checked on the compiled classes. Packages form layers, each importing only those
 * below it (no cycles between packages):
 *
 * <ol>
 *   <li>{@code cli}, {@code lab} (the simulated network, lab agents, stacks, the demo): entry
 *       points; nothing else imports them.
 *   <li>{@code serve}, {@code api}, {@code web}, {@code metrics}: what a running controller serves.
 *   <li>{@code campaign}: the campaign runtime (loop, run, line checks).
 *   <li>{@code store}, {@code schedule}: the database and the redial scheduler on it.
 *   <li>{@code agent}, {@code inbound}, {@code report}: the agents' desk, inbound queues; reports
 *       over interfaces the store implements.
 *   <li>{@code pacing}, {@code compliance}: pure policies.
 *   <li>{@code campaign.spec} (campaign files), {@code lead}, {@code call} (with its ARI and AMI
 *       adapters): the domain.
 *   <li>{@code concurrent}, {@code logging}, {@code host}: plumbing.
 * </ol>
 *
 * Third-party types stay in their adapter package (house style G1/G15).
 */
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

  // campaign.spec, lab.persona and serve (the controller's config) read their YAML files through
  // Jackson's tree model; lab speaks baresip's JSON control protocol; report writes its JSON
  // rendering (one renderer for the CLI and the API).
  @Test
  void jacksonOnlyWhereJsonIsSpoken() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "org.pingdialer.call.ari..",
            "org.pingdialer.cli..",
            "org.pingdialer.campaign.spec..",
            "org.pingdialer.lab.persona..",
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

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("org.pingdialer.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void onlyTheCommandLineImportsTheLab() {
    noClasses()
        .that()
        .resideOutsideOfPackages("org.pingdialer.lab..", "org.pingdialer.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.pingdialer.lab..")
        .check(MAIN);
  }

  @Test
  void onlyMainImportsTheCommandLine() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.pingdialer.cli..")
        .and()
        .doNotHaveFullyQualifiedName("org.pingdialer.Main")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.pingdialer.cli..")
        .check(MAIN);
  }

  @Test
  void theDomainAndItsPoliciesKnowNoRuntimeStoreOrSurface() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.pingdialer.call..",
            "org.pingdialer.lead..",
            "org.pingdialer.campaign.spec..",
            "org.pingdialer.compliance..",
            "org.pingdialer.pacing..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.pingdialer.agent..",
            "org.pingdialer.inbound..",
            "org.pingdialer.campaign",
            "org.pingdialer.store..",
            "org.pingdialer.schedule..",
            "org.pingdialer.report..",
            "org.pingdialer.api..",
            "org.pingdialer.web..",
            "org.pingdialer.metrics..",
            "org.pingdialer.serve..")
        .check(MAIN);
  }

  @Test
  void surfacesAreNotImportedByTheRuntime() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.pingdialer.campaign..",
            "org.pingdialer.store..",
            "org.pingdialer.schedule..",
            "org.pingdialer.agent..",
            "org.pingdialer.inbound..",
            "org.pingdialer.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.pingdialer.api..",
            "org.pingdialer.web..",
            "org.pingdialer.metrics..",
            "org.pingdialer.serve..")
        .check(MAIN);
  }
}
