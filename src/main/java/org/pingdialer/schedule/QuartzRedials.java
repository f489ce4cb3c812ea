package org.pingdialer.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent.WaitReason;
import org.pingdialer.store.Database;
import org.pingdialer.store.QuartzJobStore;
import org.pingdialer.store.StoreException;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redials and callbacks on Quartz with its persistent JDBC job store in our own database (H2 or
 * PostgreSQL, tables from migration 4), so a scheduled redial survives a controller restart.
 *
 * <p>One job and one trigger per waiting lead: job {@code lead-<id>} in the campaign's group,
 * carrying ids only (campaign, lead id, wait reason as strings). Our job factory builds the job
 * with the {@link Due} callback; the job just tells the campaign's loop that the lead is due, and
 * the loop claims it through the hopper, which checks every rule again.
 *
 * <p>The lead table is the source of truth: a WAITING lead has its {@code due_at} and reason,
 * written with its audit row in one transaction when the attempt's outcome or the agent's
 * disposition is applied; the trigger is only a wake-up. {@link #rebuild} gives every waiting lead
 * its trigger at startup (after a crash between the store and the scheduler, or a database restored
 * without the Quartz tables).
 *
 * <p>Misfires: a trigger whose time passed while the controller was down fires once, at once
 * ({@code FIRE_NOW}). A late redial is still wanted, and firing only wakes the hopper: the calling
 * window, the caps and DNC decide whether the lead is dialed now. Quartz's misfire threshold is 60
 * s; anything later counts as misfired.
 */
public final class QuartzRedials implements Redials {
  private static final Logger log = LoggerFactory.getLogger(QuartzRedials.class);

  /** The scheduler's name: stored in every Quartz row, so it must stay the same across restarts. */
  static final String SCHEDULER = "pingdialer";

  /** A lead's pending trigger. */
  public record Pending(String campaign, long leadId, WaitReason reason, Instant at) {}

  private final Scheduler scheduler;

  private QuartzRedials(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Starts the scheduler on {@code database}; triggers that came due while it was down fire now.
   *
   * @throws StoreException when Quartz cannot start on the database
   */
  public static QuartzRedials start(Database database, Due due) {
    return start(database, SCHEDULER, due);
  }

  /**
   * As above, as one campaign's scheduler: {@code pingdialer-<campaign>}. Quartz keeps each
   * scheduler's jobs and triggers under its name (SCHED_NAME) in the shared tables, so controllers
   * running different campaigns on one PostgreSQL database never fire or recover each other's
   * triggers (one scheduler per name: two controllers of the same campaign would share them).
   */
  public static QuartzRedials forCampaign(Database database, String campaign, Due due) {
    return start(database, SCHEDULER + "-" + campaign, due);
  }

  private static QuartzRedials start(Database database, String name, Due due) {
    String dataSource = QuartzJobStore.dataSource(database);
    Properties properties = new Properties();
    properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, name);
    properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, name);
    properties.setProperty("org.quartz.threadPool.threadCount", "1");
    properties.setProperty("org.quartz.threadPool.threadNamePrefix", "redials");
    properties.setProperty(
        StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
    properties.setProperty("org.quartz.jobStore.dataSource", dataSource);
    properties.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    properties.setProperty("org.quartz.jobStore.useProperties", "true"); // ids only, as strings
    properties.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    properties.setProperty(
        "org.quartz.jobStore.driverDelegateClass", QuartzJobStore.delegateClass(database));
    try {
      Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
      // Quartz keeps schedulers in a JVM-wide registry by name; ours are owned by their database
      // (tests open several), so it must not hand this one out again.
      SchedulerRepository.getInstance().remove(name);
      scheduler.setJobFactory((bundle, owner) -> new LeadDueJob(due));
      scheduler.start();
      return new QuartzRedials(scheduler);
    } catch (SchedulerException e) {
      throw new StoreException("cannot start the redial scheduler: " + e.getMessage(), e);
    }
  }

  /**
   * Schedules (or moves) the lead's redial or callback to {@code at}.
   *
   * @throws StoreException when the job store cannot be written
   */
  @Override
  public void schedule(String campaign, long leadId, WaitReason reason, Instant at) {
    JobKey job = JobKey.jobKey("lead-" + leadId, campaign);
    JobDataMap data = new JobDataMap();
    data.put("campaign", campaign);
    data.put("lead", Long.toString(leadId));
    data.put("reason", reason.name());
    JobDetail detail =
        JobBuilder.newJob(LeadDueJob.class).withIdentity(job).usingJobData(data).build();
    Trigger trigger =
        TriggerBuilder.newTrigger()
            .withIdentity(TriggerKey.triggerKey("lead-" + leadId, campaign))
            .forJob(job)
            .startAt(Date.from(at))
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
            .build();
    try {
      scheduler.scheduleJob(detail, Set.of(trigger), true);
      log.debug("lead {} of {}: {} at {}", leadId, campaign, reason, at);
    } catch (SchedulerException e) {
      throw new StoreException("cannot schedule lead " + leadId + ": " + e.getMessage(), e);
    }
  }

  /** Drops the lead's trigger (it was dialed another way, or finished). */
  public void cancel(String campaign, long leadId) {
    try {
      scheduler.deleteJob(JobKey.jobKey("lead-" + leadId, campaign));
    } catch (SchedulerException e) {
      throw new StoreException("cannot cancel lead " + leadId + ": " + e.getMessage(), e);
    }
  }

  /**
   * Gives every waiting lead of the campaign its trigger, from the lead table; returns how many
   * were missing.
   */
  @Override
  public int rebuild(String campaign, List<Lead> waiting) {
    int missing = 0;
    try {
      for (Lead lead : waiting) {
        if (lead.dueAt().isEmpty() || lead.waitReason().isEmpty()) {
          continue;
        }
        if (!scheduler.checkExists(TriggerKey.triggerKey("lead-" + lead.id(), campaign))) {
          schedule(campaign, lead.id(), lead.waitReason().get(), lead.dueAt().get());
          missing++;
        }
      }
    } catch (SchedulerException e) {
      throw new StoreException("cannot rebuild the redials of " + campaign, e);
    }
    if (missing > 0) {
      log.info("campaign {}: {} redial triggers rebuilt from the lead table", campaign, missing);
    }
    return missing;
  }

  /** The campaign's pending triggers, soonest first. */
  public List<Pending> pending(String campaign) {
    List<Pending> pending = new ArrayList<>();
    try {
      for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(campaign))) {
        Trigger trigger = scheduler.getTrigger(key);
        if (trigger == null) {
          continue; // fired meanwhile
        }
        JobDataMap data = scheduler.getJobDetail(trigger.getJobKey()).getJobDataMap();
        pending.add(
            new Pending(
                campaign,
                Long.parseLong(data.getString("lead")),
                WaitReason.valueOf(data.getString("reason")),
                trigger.getNextFireTime().toInstant()));
      }
    } catch (SchedulerException e) {
      throw new StoreException("cannot read the redials of " + campaign, e);
    }
    pending.sort(Comparator.comparing(Pending::at));
    return pending;
  }

  /** Stops the scheduler; waits for a job that is running. Triggers stay in the database. */
  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      log.warn("redial scheduler did not shut down cleanly", e);
    }
  }

  /** The job a lead's trigger runs: tells the loop. Built by our job factory, never by Quartz. */
  static final class LeadDueJob implements Job {
    private final Due due;

    LeadDueJob(Due due) {
      this.due = due;
    }

    @Override
    public void execute(JobExecutionContext context) {
      JobDataMap data = context.getMergedJobDataMap();
      due.due(
          data.getString("campaign"),
          Long.parseLong(data.getString("lead")),
          WaitReason.valueOf(data.getString("reason")),
          context.getScheduledFireTime().toInstant());
    }
  }
}
