package org.pingdialer.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Places the number of calls that keeps the expected share of answered callees without an agent at
 * the target.
 *
 * <p>It learns, from recent calls, the chance that a call is answered by a person and how long a
 * person lets it ring, and from recent agents how long they talk and how long they wrap up after a
 * call, separately. Demand: each call in flight will be answered by a person with a chance that
 * falls the longer it has rung unanswered (none past the longest ring seen); a new call has the
 * full live rate. Supply: ready agents, and each busy agent with the chance that it frees within
 * the next seconds: for an agent still talking, that the rest of its call, given how long it has
 * talked, plus a wrap-up ends in time; for an agent in wrap-up, that the rest of its wrap-up does
 * (from the talk and wrap-up times as observed, so a long-tailed talk time is not taken for one
 * that ends on time, and an agent filing its disposition is known to be back within seconds). Over
 * the next ring time, in steps, the free agents are carried from step to step as a distribution
 * (answers and frees of a step are Poisson-binomial counts); answers beyond the free agents are
 * lost. The pacer adds calls while the expected losses stay under the target share of the expected
 * answers.
 *
 * <p>The model is only a model: it leaves out, for one, the calls later decisions will add. So the
 * pacer also steers by what happens: a factor on the target goes up a little with each answer and
 * down with each abandon, and settles where abandons are {@code target} of answers.
 *
 * <p>Not thread-safe: owned by one loop (or one simulation).
 */
public final class PredictivePacer implements Pacer {
  /** Weight of one new observation in the running estimates (about the last 100 calls). */
  private static final double LEARN = 0.01;

  /** Fewer ring times than this and the ring time's prior is used. */
  private static final int MIN_SAMPLES = 20;

  /** How many talk (and wrap-up) times the prior counts for until that many have been seen. */
  private static final int PRIOR_SAMPLES = 100;

  /** Quantiles of the wrap-up time over which a talking agent's chance to free is averaged. */
  private static final int WRAP_QUANTILES = 8;

  /** Steps over the longest ring at which answers are weighed against free agents. */
  private static final int STEPS = 8;

  /**
   * How fast the correction moves: an abandon takes this off its log, an answer adds this times the
   * target, so it rests where abandons are the target share of answers. 0.3 moves it by about four
   * fifths within a hundred answers at 2 %. Slower steps left the pacer where its model put it for
   * most of a day whenever the model was off: 0.05 kept small teams far under the target; 0.15 kept
   * a campaign holding a third of a shared pool, whose answered callees often find an agent of
   * another campaign free (the model counts its own agents only), at 0.9–1.9 % against 2 % over 8
   * hours, and the floor 1.5–2.5 % short of one campaign on its agents on 2 seeds in 10 (0.3: at
   * most 2.0 % short, and the first hour still under 2.5 % at every size over ten seeds;
   * bench/RESULTS.md).
   */
  private static final double CORRECT = 0.3;

  private static final double MIN_LOG_CORRECTION = Math.log(0.05);
  private static final double MAX_LOG_CORRECTION = Math.log(20);

  /**
   * How soon to be asked again without an event while agents are busy or calls ring: between events
   * a busy agent nears its end. Without it a small team's decisions came seconds late (5 agents on
   * the standard population: 43.8 agent work min/h without, 45.1 with; 0.5 s and 2 s were no
   * better).
   */
  private static final Duration ASK_AGAIN = Duration.ofSeconds(1);

  private final double target;

  private Optional<Duration> askAgainIn = Optional.empty();

  /**
   * The log of the factor on the target the pacer has learned from abandons and answers. It starts
   * at half: in a campaign's first hour the governor's window holds few answers, the first abandons
   * weigh heavily, and calls in flight when the cap is reached still abandon (starting at 1, 10 and
   * 20 agents ended their first hour at 3.05 % and 3.23 % on some seeds; at half, under 2.95 % over
   * ten seeds at every size).
   */
  private double correction = Math.log(0.5);

  private double liveRate;
  private double ringSeconds;
  private double talkSeconds;
  private double wrapSeconds;

  /** The last talk times (seconds), a ring buffer. */
  private final double[] talks = new double[400];

  private long talksSeen;

  /** Quantiles of the prior talk time, standing in for talk times not yet seen. */
  private final double[] priorTalks;

  /** The talk times sorted; rebuilt on the next decision after a talk time comes in. */
  private double[] sortedTalks;

  /** The last wrap-up times (seconds), a ring buffer. */
  private final double[] wraps = new double[400];

  private long wrapsSeen;

  /** The wrap-up time assumed until that many have been seen. */
  private final double wrapPrior;

  /** The wrap-up times sorted, and evenly spread quantiles of them; rebuilt like the talks. */
  private double[] sortedWraps;

  private double[] wrapQuantiles;

  /** The last ring times of calls a person answered (seconds), a ring buffer. */
  private final double[] rings = new double[200];

  private long ringsSeen;

  /** {@link #rings} sorted, rebuilt when a ring time comes in. */
  private double[] sortedRings = new double[0];

  /**
   * @param target the share of answered callees that may go without an agent (e.g. 0.02)
   * @param liveRatePrior the live-answer chance assumed until calls show it (e.g. 0.2)
   * @param talkPrior the mean talk time assumed until agents show it (log-normal, sigma 0.8)
   * @param wrapPrior the wrap-up time assumed until agents show it (e.g. the campaign's wrap-up)
   */
  public PredictivePacer(
      double target, double liveRatePrior, Duration talkPrior, Duration wrapPrior) {
    this.target = target;
    this.liveRate = liveRatePrior;
    this.ringSeconds = 8;
    this.talkSeconds = Math.max(1, talkPrior.toMillis() / 1000.0);
    this.wrapSeconds = Math.max(0, wrapPrior.toMillis() / 1000.0);
    this.wrapPrior = wrapSeconds;
    this.priorTalks = logNormalQuantiles(talkSeconds, 0.8, PRIOR_SAMPLES);
  }

  @Override
  public void answered(Duration ring, Instant at) {
    double seconds = ring.toMillis() / 1000.0;
    liveRate += LEARN * (1 - liveRate);
    correction = Math.min(MAX_LOG_CORRECTION, correction + CORRECT * target);
    ringSeconds += LEARN * 5 * (seconds - ringSeconds);
    rings[(int) (ringsSeen++ % rings.length)] = seconds;
    sortedRings = Arrays.copyOf(rings, (int) Math.min(ringsSeen, rings.length));
    Arrays.sort(sortedRings);
  }

  @Override
  public void abandoned(Instant at) {
    correction = Math.max(MIN_LOG_CORRECTION, correction - CORRECT);
  }

  @Override
  public void unanswered(Instant at) {
    liveRate += LEARN * (0 - liveRate);
  }

  @Override
  public void agentFreed(Duration talk, Duration wrap, Instant at) {
    talked(talk, at);
    double wrapped = wrap.toMillis() / 1000.0;
    wrapSeconds += LEARN * 5 * (wrapped - wrapSeconds);
    wraps[(int) (wrapsSeen++ % wraps.length)] = wrapped;
    sortedWraps = null;
  }

  @Override
  public void talked(Duration talk, Instant at) {
    double talked = talk.toMillis() / 1000.0;
    talkSeconds += LEARN * 5 * (talked - talkSeconds);
    talks[(int) (talksSeen++ % talks.length)] = talked;
    sortedTalks = null;
  }

  @Override
  public Optional<Duration> askAgainIn() {
    return askAgainIn;
  }

  @Override
  public int callsToPlace(State state) {
    askAgainIn = Optional.empty();
    if (state.agents() == 0) {
      return 0;
    }
    if (state.allowedRatio() <= 1) {
      return new ProgressivePacer().callsToPlace(state); // the governor's fallback at the cap
    }
    int maxInFlight =
        Math.min(
            state.channelLimit(),
            (int) Math.floor(Math.max(1, state.allowedRatio()) * state.agents()));
    int calls = state.callsDialing();
    if (calls >= maxInFlight) {
      return 0;
    }
    if (!state.busy().isEmpty() || calls > 0) {
      askAgainIn = Optional.of(ASK_AGAIN);
    }
    double p = Math.min(0.99, Math.max(0.01, liveRate));
    double[] ages = new double[calls];
    for (int i = 0; i < state.dialingFor().size(); i++) {
      ages[i] = state.dialingFor().get(i).toMillis() / 1000.0;
    }
    Pacer.Busy[] busy = state.busy().toArray(new Pacer.Busy[0]);
    // The next seconds in steps over the longest ring: in each step some busy agents come free and
    // some calls are answered by a person; an answer finds an agent if one is free by the end of
    // its step, else it is counted lost (the 2 s deadline is left as a margin). Frees and answers
    // of a step are each a Poisson-binomial count; the distribution of free agents is carried from
    // step to step.
    double longest = ringQuantile(1.0);
    double[][] frees = new double[STEPS][];
    double[][] oldAnswers = new double[STEPS][];
    double[] newAnswer = new double[STEPS];
    double expectedAnswers = 0;
    for (int i = 0; i < calls; i++) {
      expectedAnswers += liveAfter(ages[i], Double.POSITIVE_INFINITY, p);
    }
    double[] freeBefore = new double[busy.length];
    double before = 0;
    for (int j = 0; j < STEPS; j++) {
      double from = longest * j / STEPS;
      double to = longest * (j + 1) / STEPS;
      double[] freeBy = freeChances(busy, to);
      double[] freeNow = new double[busy.length];
      for (int i = 0; i < busy.length; i++) {
        freeNow[i] = Math.max(0, freeBy[i] - freeBefore[i]);
      }
      freeBefore = freeBy;
      frees[j] = poissonBinomial(0, freeNow);
      double[] live = new double[calls];
      for (int i = 0; i < calls; i++) {
        live[i] = liveAfter(ages[i] + from, to - from, p) * stillRingingChance(ages[i], from, p);
      }
      oldAnswers[j] = poissonBinomial(0, live);
      double by = p * ringCdf(to);
      newAnswer[j] = by - before;
      before = by;
    }
    // One call per ready agent with nothing ringing for it is always safe; beyond that only while
    // the expected abandons stay under the target share of expected answers.
    int floor = Math.max(calls, Math.min(state.readyAgents(), maxInFlight));
    int n = calls;
    while (n < maxInFlight) {
      int extra = n + 1 - calls;
      double allowed = target * Math.exp(correction) * (expectedAnswers + extra * p);
      if (n + 1 > floor
          && lost(state.readyAgents(), frees, oldAnswers, newAnswer, extra) > allowed) {
        break;
      }
      n++;
    }
    return n - calls;
  }

  /** Expected answers lost for want of an agent over the steps, with {@code extra} new calls. */
  private static double lost(
      int ready, double[][] frees, double[][] oldAnswers, double[] newAnswer, int extra) {
    double[] agents = new double[ready + 1];
    agents[ready] = 1;
    double lost = 0;
    for (int j = 0; j < frees.length; j++) {
      double[] answers = oldAnswers[j];
      for (int c = 0; c < extra; c++) {
        answers = addChance(answers, newAnswer[j]);
      }
      double[] withFrees = convolve(agents, frees[j]);
      double[] next = new double[withFrees.length];
      for (int a = 0; a < withFrees.length; a++) {
        if (withFrees[a] < 1e-12) {
          continue;
        }
        for (int k = 0; k < answers.length; k++) {
          if (answers[k] < 1e-12) {
            continue;
          }
          double chance = withFrees[a] * answers[k];
          if (k > a) {
            lost += chance * (k - a);
            next[0] += chance;
          } else {
            next[a - k] += chance;
          }
        }
      }
      agents = next;
    }
    return lost;
  }

  private static double[] convolve(double[] a, double[] b) {
    double[] sum = new double[a.length + b.length - 1];
    for (int i = 0; i < a.length; i++) {
      if (a[i] < 1e-12) {
        continue;
      }
      for (int j = 0; j < b.length; j++) {
        sum[i + j] += a[i] * b[j];
      }
    }
    return sum;
  }

  /** The chance that a call ringing for {@code age} seconds is still ringing {@code later}. */
  private double stillRingingChance(double age, double later, double p) {
    double now = 1 - p * ringCdf(age);
    double then = 1 - p * ringCdf(age + later);
    return now <= 0 ? 0 : then / now;
  }

  /**
   * The chance that a call ringing unanswered for {@code age} seconds is answered by a person
   * within the next {@code within} seconds.
   */
  private double liveAfter(double age, double within, double p) {
    double answeredBy = ringCdf(age);
    double stillRinging = 1 - p * answeredBy;
    double live = p * (ringCdf(age + within) - answeredBy);
    return stillRinging <= 0 ? 0 : Math.max(0, live / stillRinging);
  }

  /** Share of person-answered calls answered within {@code seconds} (uniform prior 0..2×mean). */
  private double ringCdf(double seconds) {
    if (sortedRings.length < MIN_SAMPLES) {
      return Math.min(1, Math.max(0, seconds / (2 * ringSeconds)));
    }
    return atOrBelow(sortedRings, sortedRings.length, seconds) / (double) sortedRings.length;
  }

  /** How many of the first {@code size} sorted values are less than {@code x}. */
  private static int below(double[] sorted, int size, double x) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** How many of the first {@code size} sorted values are at most {@code x}. */
  private static int atOrBelow(double[] sorted, int size, double x) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * For each busy agent, the chance to be free within {@code horizon} seconds. In wrap-up for
   * {@code w} seconds: the share of recent wrap-ups longer than {@code w} that ended within {@code
   * w + horizon}. Talking for {@code e} seconds: of the recent talk times longer than {@code e},
   * the share that ended in time to leave room for a wrap-up, averaged over the wrap-up's
   * quantiles. An exponential around the average where too few longer times have been seen.
   */
  private double[] freeChances(Pacer.Busy[] busy, double horizon) {
    if (sortedTalks == null) {
      sortedTalks = talkSamples();
    }
    if (sortedWraps == null) {
      sortedWraps = wrapSamples();
      wrapQuantiles = new double[WRAP_QUANTILES];
      for (int k = 0; k < WRAP_QUANTILES; k++) {
        wrapQuantiles[k] = sortedWraps[(int) ((k + 0.5) * sortedWraps.length / WRAP_QUANTILES)];
      }
    }
    double[] chances = new double[busy.length];
    for (int i = 0; i < busy.length; i++) {
      double talked = busy[i].talked().toMillis() / 1000.0;
      chances[i] =
          busy[i].wrappingFor().isPresent()
              ? wrapEndChance(busy[i].wrappingFor().get().toMillis() / 1000.0, horizon)
              : talkAndWrapEndChance(talked, horizon);
    }
    return chances;
  }

  /** The chance that a wrap-up going on for {@code elapsed} seconds ends within {@code horizon}. */
  private double wrapEndChance(double elapsed, double horizon) {
    int samples = sortedWraps.length;
    // Still in wrap-up at `elapsed`: of the wrap-ups seen, those that had not ended before it. One
    // exactly as long ends now (wrap-ups on a timer are all about equally long).
    int notLonger = below(sortedWraps, samples, elapsed);
    int longer = samples - notLonger;
    if (longer < MIN_SAMPLES) {
      // Longer than (nearly) every wrap-up seen: where wrap-up ends on a timer, the agent has most
      // likely paused after its call, and nobody knows when it is back. Expected as an agent whose
      // call has outlasted every call seen was before phases were known: by the mean call and
      // wrap-up, never sooner (counting on it any moment would drop callees).
      return 1 - Math.exp(-horizon / Math.max(1, talkSeconds + wrapSeconds));
    }
    return (double) (atOrBelow(sortedWraps, samples, elapsed + horizon) - notLonger) / longer;
  }

  /**
   * The chance that an agent talking for {@code elapsed} seconds ends its call and then its wrap-up
   * within {@code horizon}.
   */
  private double talkAndWrapEndChance(double elapsed, double horizon) {
    int samples = sortedTalks.length;
    int notLonger = atOrBelow(sortedTalks, samples, elapsed);
    int longer = samples - notLonger;
    double chance = 0;
    for (double wrap : wrapQuantiles) {
      double talkLeft = horizon - wrap;
      if (talkLeft <= 0) {
        continue;
      }
      chance +=
          longer >= MIN_SAMPLES
              ? (double) (atOrBelow(sortedTalks, samples, elapsed + talkLeft) - notLonger) / longer
              : 1 - Math.exp(-talkLeft / Math.max(talkSeconds, talkSeconds - elapsed));
    }
    return chance / wrapQuantiles.length;
  }

  /**
   * The recent talk times, sorted; while there are fewer than {@link #PRIOR_SAMPLES}, topped up
   * with evenly spread quantiles of the prior. Without the prior the first samples would be the
   * shortest calls of the first minutes (the long ones have not ended yet) and the pacer would
   * expect every agent back soon.
   */
  private double[] talkSamples() {
    int real = (int) Math.min(talksSeen, talks.length);
    int fromPrior = Math.max(0, PRIOR_SAMPLES - real);
    double[] samples = Arrays.copyOf(talks, real + fromPrior);
    for (int i = 0; i < fromPrior; i++) {
      samples[real + i] = priorTalks[(int) ((i + 0.5) * priorTalks.length / fromPrior)];
    }
    Arrays.sort(samples);
    return samples;
  }

  /** The recent wrap-up times, sorted; topped up with the prior like the talk times. */
  private double[] wrapSamples() {
    int real = (int) Math.min(wrapsSeen, wraps.length);
    int fromPrior = Math.max(0, PRIOR_SAMPLES - real);
    double[] samples = Arrays.copyOf(wraps, real + fromPrior);
    Arrays.fill(samples, real, real + fromPrior, wrapPrior);
    Arrays.sort(samples);
    return samples;
  }

  /** Quantiles of the prior talk time: log-normal around the prior mean, sigma 0.8. */
  private static double[] logNormalQuantiles(double mean, double sigma, int count) {
    double mu = Math.log(mean) - sigma * sigma / 2;
    double[] quantiles = new double[count];
    for (int i = 0; i < count; i++) {
      quantiles[i] = Math.exp(mu + sigma * normalQuantile((i + 0.5) / count));
    }
    return quantiles;
  }

  /** The standard normal's quantile (Abramowitz and Stegun 26.2.23, error under 4.5e-4). */
  static double normalQuantile(double q) {
    double tail = Math.min(q, 1 - q);
    double t = Math.sqrt(-2 * Math.log(tail));
    double z =
        t
            - (2.515517 + 0.802853 * t + 0.010328 * t * t)
                / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
    return q < 0.5 ? -z : z;
  }

  private double ringQuantile(double q) {
    if (sortedRings.length < MIN_SAMPLES) {
      return ringSeconds * 2 * q;
    }
    return sortedRings[Math.min(sortedRings.length - 1, (int) (q * sortedRings.length))];
  }

  /** The distribution of a count that is {@code sure} plus one for each yes of the chances. */
  static double[] poissonBinomial(int sure, double[] chances) {
    double[] dist = new double[sure + 1];
    dist[sure] = 1;
    for (double q : chances) {
      dist = addChance(dist, q);
    }
    return dist;
  }

  /** The distribution {@code dist} plus one more yes/no with chance {@code q}. */
  static double[] addChance(double[] dist, double q) {
    double[] next = new double[dist.length + 1];
    for (int a = 0; a < dist.length; a++) {
      next[a] += dist[a] * (1 - q);
      next[a + 1] += dist[a] * q;
    }
    return next;
  }
}
