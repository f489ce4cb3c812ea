package org.pingdialer.bench;

import java.time.Duration;
import java.util.Locale;
import org.pingdialer.compliance.AbandonGovernor;
import org.pingdialer.pacing.Population;
import org.pingdialer.pacing.PredictivePacer;
import org.pingdialer.pacing.Simulation;

/**
 * A brand-new predictive campaign (empty abandon windows, a pacer that has seen no call) on the
 * standard population, in the simulator with no warm-up: its agent work minutes per hour and its
 * abandon rate, the mean and the worst over the seeds, for each team size. What a campaign's first
 * hours cost while the governor's windows hold few answers.
 *
 * <p>Run: {@code bench/cold-start.sh [hours, default 1] [seeds, default 10] [sizes, default "5 10
 * 20 50"]}.
 */
public final class ColdStartBench {
  private ColdStartBench() {}

  public static void main(String[] args) {
    long hours = args.length > 0 ? Long.parseLong(args[0]) : 1;
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String[] sizes = (args.length > 2 ? args[2] : "5 10 20 50").trim().split("\\s+");
    System.out.printf(
        Locale.ROOT,
        "| agents | min/h, mean of %d seeds | abandon rate, mean | abandon rate, worst |%n",
        seeds);
    System.out.println("|---:|---:|---:|---:|");
    for (String size : sizes) {
      int agents = Integer.parseInt(size);
      double minutes = 0;
      double rates = 0;
      double worst = 0;
      for (long seed = 1; seed <= seeds; seed++) {
        var governor = new AbandonGovernor(new AbandonGovernor.Limits(0.02, 0.03, 0));
        var pacer = new PredictivePacer(0.02, 0.2, Duration.ofMinutes(2), Duration.ofSeconds(10));
        Simulation.Result run =
            new Simulation(Population.standard(), pacer, governor, agents, 10 * agents, seed)
                .run("predictive", Duration.ofHours(hours));
        minutes += run.agentMinutesPerHour();
        rates += run.abandonRate();
        worst = Math.max(worst, run.abandonRate());
      }
      System.out.printf(
          Locale.ROOT,
          "| %d | %.1f | %.2f %% | %.2f %% |%n",
          agents,
          minutes / seeds,
          100 * rates / seeds,
          100 * worst);
    }
  }
}
