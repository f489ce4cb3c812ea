package org.pingdialer.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoopsTest {
  /** The line checker's case: the store thread hands a result to a loop that close() stopped. */
  @Test
  void aHandoffToAStoppedLoopIsDroppedWithoutAnExceptionOnTheSender() throws Exception {
    var loop = Loops.ownerThread("test-loop");
    var store = Loops.worker("test-store");
    var queryRunning = new CountDownLatch(1);
    var closeDone = new CountDownLatch(1);
    var failure = new AtomicReference<Throwable>();
    var ran = new AtomicReference<Boolean>(false);
    store.execute(
        () -> {
          queryRunning.countDown();
          try {
            assertThat(closeDone.await(5, TimeUnit.SECONDS)).isTrue();
            loop.execute(() -> ran.set(true));
          } catch (Throwable e) {
            failure.set(e);
          }
        });
    assertThat(queryRunning.await(5, TimeUnit.SECONDS)).isTrue();
    loop.shutdownNow();
    closeDone.countDown();
    store.shutdown();
    assertThat(store.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(failure.get()).isNull();
    assertThat(ran.get()).isFalse();
  }

  @Test
  void workHandedToAStoppedLoopThatSomeoneWaitsForIsCancelledNotLeftHanging() {
    var loop = Loops.ownerThread("test-loop");
    var worker = Loops.worker("test-worker");
    loop.shutdownNow();
    worker.shutdownNow();
    assertThat(loop.submit(() -> 1).isCancelled()).isTrue();
    assertThat(loop.schedule(() -> {}, 1, TimeUnit.SECONDS).isCancelled()).isTrue();
    assertThatThrownBy(() -> loop.submit(() -> 1).get()).isInstanceOf(CancellationException.class);
    assertThat(worker.submit(() -> 1).isCancelled()).isTrue();
  }

  @Test
  void aCompletableFutureStageOnAStoppedLoopCompletesExceptionally() {
    var loop = Loops.ownerThread("test-loop");
    var worker = Loops.worker("test-worker");
    loop.shutdownNow();
    worker.shutdownNow();
    var gate = new CompletableFuture<Void>();
    var stage = gate.thenRunAsync(() -> {}, loop);
    gate.complete(null);
    assertThatThrownBy(() -> stage.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(stage::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> CompletableFuture.runAsync(() -> {}, worker))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void aRunningLoopRunsItsWorkOnItsNamedThread() throws Exception {
    var loop = Loops.ownerThread("test-owner");
    var pool = Loops.pool("test-io", 2);
    try {
      assertThat(loop.submit(() -> Thread.currentThread().getName()).get()).isEqualTo("test-owner");
      assertThat(pool.submit(() -> Thread.currentThread().getName()).get()).startsWith("test-io-");
      assertThat(Thread.ofPlatform().unstarted(() -> {}).isDaemon()).isFalse();
      assertThat(loop.submit(() -> Thread.currentThread().isDaemon()).get()).isTrue();
    } finally {
      loop.shutdownNow();
      pool.shutdownNow();
    }
  }
}
