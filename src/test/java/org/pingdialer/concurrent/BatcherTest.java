package org.pingdialer.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatcherTest {

  @Test
  void whatQueuesWhileABatchRunsGoesOutTogetherInOrder() throws Exception {
    var firstBatchRuns = new CountDownLatch(1);
    var mayFinish = new CountDownLatch(1);
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    try (var batcher =
        new Batcher<Integer, Integer>(
            "batcher-test",
            items -> {
              batches.add(items);
              firstBatchRuns.countDown();
              hold(mayFinish);
              return items.stream().map(i -> i * 10).toList();
            })) {
      var first = batcher.submit(1);
      assertThat(firstBatchRuns.await(5, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Integer>> queued = new ArrayList<>();
      for (int i = 2; i <= 5; i++) {
        queued.add(batcher.submit(i));
      }
      mayFinish.countDown();

      assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(10);
      for (int i = 0; i < queued.size(); i++) {
        assertThat(queued.get(i).get(5, TimeUnit.SECONDS)).isEqualTo((i + 2) * 10);
      }
      assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4, 5));
    }
  }

  @Test
  void aFailedBatchIsRunItemByItemSoOnlyTheBadItemFails() throws Exception {
    var hold = new CountDownLatch(1);
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    try (var batcher =
        new Batcher<Integer, Integer>(
            "batcher-test",
            items -> {
              batches.add(items);
              hold(hold);
              if (items.contains(13)) {
                throw new IllegalStateException("13 is bad");
              }
              return items;
            })) {
      var blocker = batcher.submit(0);
      await().until(() -> !batches.isEmpty()); // the blocker's batch runs; the rest queue
      var a = batcher.submit(12);
      var bad = batcher.submit(13);
      var b = batcher.submit(14);
      hold.countDown();

      assertThat(blocker.get(5, TimeUnit.SECONDS)).isZero();
      assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo(12);
      assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo(14);
      assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("13 is bad");
      assertThat(batches)
          .containsExactly(List.of(0), List.of(12, 13, 14), List.of(12), List.of(13), List.of(14));
    }
  }

  @Test
  void aBacklogGoesOutInBatchesOfAtMostTheMaximum() throws Exception {
    var hold = new CountDownLatch(1);
    var running = new CountDownLatch(1);
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    try (var batcher =
        new Batcher<Integer, Integer>(
            "batcher-test",
            items -> {
              sizes.add(items.size());
              running.countDown();
              hold(hold);
              return items;
            })) {
      List<CompletableFuture<Integer>> all = new ArrayList<>();
      all.add(batcher.submit(0));
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i < 1 + Batcher.MAX_BATCH + 20; i++) {
        all.add(batcher.submit(i));
      }
      hold.countDown();
      for (var f : all) {
        f.get(5, TimeUnit.SECONDS);
      }
      assertThat(sizes).containsExactly(1, Batcher.MAX_BATCH, 20);
    }
  }

  @Test
  void anErrorFailsItsBatchAndTheItemsBehindItAreStillWritten() throws Exception {
    var hold = new CountDownLatch(1);
    var running = new CountDownLatch(1);
    try (var batcher =
        new Batcher<Integer, Integer>(
            "batcher-test",
            items -> {
              running.countDown();
              hold(hold);
              if (items.contains(1)) {
                throw new StackOverflowError("deep");
              }
              return items;
            })) {
      var failing = batcher.submit(1);
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
      var behind = batcher.submit(2);
      hold.countDown();

      assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StackOverflowError.class);
      assertThat(behind.get(5, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(batcher.submit(3).get(5, TimeUnit.SECONDS)).isEqualTo(3);
    }
  }

  @Test
  void afterCloseQueuedAndNewItemsFail() throws Exception {
    var hold = new CountDownLatch(1);
    var running = new CountDownLatch(1);
    var batcher =
        new Batcher<Integer, Integer>(
            "batcher-test",
            items -> {
              running.countDown();
              hold(hold);
              return items;
            });
    var writing = batcher.submit(1);
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    var queued = batcher.submit(2);
    batcher.close();
    hold.countDown();

    assertThat(writing.get(5, TimeUnit.SECONDS)).isEqualTo(1); // a batch being written finishes
    assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasMessageContaining("closed");
    assertThatThrownBy(() -> batcher.submit(3).get(5, TimeUnit.SECONDS))
        .hasMessageContaining("closed");
  }

  private static void hold(CountDownLatch latch) {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
