package org.pingdialer.lab.agents;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What a lab agent's phone sends while it talks: stretches of a speech-like voice (a buzzing
 * glottal tone with harmonics, shaped into syllables about four times a second) with pauses between
 * them, so a callee that takes turns (the phone goat) hears the agent speak and then stop. Written
 * as an 8 kHz mono 16-bit WAV file that baresip's {@code aufile} module plays into each call from
 * its start. Made by the project from numbers alone: no recording, nothing downloaded.
 *
 * @param talkMin shortest stretch of talk
 * @param talkMax longest stretch of talk
 * @param pauseMin shortest pause (longer than the goat's 1 s, so it gets its turn)
 * @param pauseMax longest pause
 * @param length how much is written; a call longer than this hears the file's end (silence)
 */
public record AgentVoice(
    Duration talkMin, Duration talkMax, Duration pauseMin, Duration pauseMax, Duration length) {
  static final int RATE = 8000;

  public AgentVoice {
    if (talkMin.isNegative() || talkMin.isZero() || talkMax.compareTo(talkMin) < 0) {
      throw new IllegalArgumentException(
          "voice talk needs 0 < talkMin <= talkMax, was " + talkMin + ", " + talkMax);
    }
    if (pauseMin.isNegative() || pauseMin.isZero() || pauseMax.compareTo(pauseMin) < 0) {
      throw new IllegalArgumentException(
          "voice pause needs 0 < pauseMin <= pauseMax, was " + pauseMin + ", " + pauseMax);
    }
    if (length.compareTo(Duration.ofHours(1)) > 0 || length.compareTo(talkMax) < 0) {
      throw new IllegalArgumentException(
          "voice length must be between talkMax and 1 h, was " + length);
    }
  }

  /** Talks 1.5-4 s, pauses 2-3.5 s, for 3 minutes (longer than the default talk time's max). */
  public static AgentVoice natural() {
    return new AgentVoice(
        Duration.ofMillis(1500),
        Duration.ofSeconds(4),
        Duration.ofSeconds(2),
        Duration.ofMillis(3500),
        Duration.ofMinutes(3));
  }

  /** Writes the voice to {@code file}; the same {@code random} state gives the same file. */
  public void writeWav(Path file, RandomGenerator random) {
    int samples = Math.toIntExact(length.toMillis() * RATE / 1000);
    short[] pcm = new short[samples];
    int at = 0;
    while (at < samples) {
      int talk = millisToSamples(between(random, talkMin, talkMax));
      at = speak(pcm, at, Math.min(talk, samples - at), random);
      at += millisToSamples(between(random, pauseMin, pauseMax)); // silence: zeros
    }
    ByteBuffer data = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
    data.put("RIFF".getBytes(StandardCharsets.US_ASCII))
        .putInt(36 + 2 * samples)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
        .putInt(16) // fmt chunk size
        .putShort((short) 1) // PCM
        .putShort((short) 1) // mono
        .putInt(RATE)
        .putInt(RATE * 2) // bytes per second
        .putShort((short) 2) // bytes per frame
        .putShort((short) 16) // bits per sample
        .put("data".getBytes(StandardCharsets.US_ASCII))
        .putInt(2 * samples);
    for (short s : pcm) {
      data.putShort(s);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(data.array());
    } catch (IOException e) {
      throw new UncheckedIOException("writing the lab agent's voice " + file, e);
    }
  }

  /** One stretch of talk from {@code from}; returns where it ends. */
  private static int speak(short[] pcm, int from, int count, RandomGenerator random) {
    double pitch = 100 + 60 * random.nextDouble(); // Hz: a speaking voice's fundamental
    double syllables = 3.5 + 1.5 * random.nextDouble(); // per second
    double phase = 0;
    for (int i = 0; i < count; i++) {
      double t = (double) i / RATE;
      // The pitch wanders a little, as in speech.
      double f0 = pitch * (1 + 0.08 * Math.sin(2 * Math.PI * 0.7 * t));
      phase += 2 * Math.PI * f0 / RATE;
      double voice = 0;
      for (int k = 1; k <= 12; k++) {
        voice += Math.sin(k * phase) / k;
      }
      double syllable = Math.sqrt(0.5 * (1 - Math.cos(2 * Math.PI * syllables * t)));
      double fade = Math.min(1, Math.min(i, count - i) / (0.03 * RATE)); // no clicks
      pcm[from + i] = (short) Math.round(5000 * voice * syllable * fade);
    }
    return from + count;
  }

  private static long between(RandomGenerator random, Duration low, Duration high) {
    return low.toMillis() + Math.round(random.nextDouble() * (high.toMillis() - low.toMillis()));
  }

  private static int millisToSamples(long millis) {
    return Math.toIntExact(millis * RATE / 1000);
  }
}
