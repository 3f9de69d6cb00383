package rag.query.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkheadTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void admitsUpToItsCapacityAndReleasesEachPermitOnce() {
    Bulkhead bound = new Bulkhead("model:test", 2, 0, Duration.ZERO);
    Bulkhead.Permit a = bound.acquire(1);
    Bulkhead.Permit b = bound.acquire(1);
    assertThat(bound.inUse()).isEqualTo(2);
    assertThatThrownBy(() -> bound.acquire(1)).isInstanceOf(OverloadedException.class)
        .hasMessageContaining("model:test is at capacity (2 of 2 in use, 0 waiting");
    a.close();
    a.close();
    assertThat(bound.inUse()).isEqualTo(1);
    bound.acquire(1).close();
    b.close();
    assertThat(bound.inUse()).isZero();
    assertThat(bound.admitted()).isEqualTo(3);
    assertThat(bound.shed()).isEqualTo(1);
  }

  @Test
  void aWaiterIsAdmittedWhenAPlaceFreesAndTheQueueIsBounded() throws Exception {
    Bulkhead bound = new Bulkhead("b", 1, 1, Duration.ofSeconds(10));
    Bulkhead.Permit held = bound.acquire(1);
    Future<Bulkhead.Permit> waiter = threads.submit(() -> bound.acquire(1));
    awaitWaiting(bound, 1);
    long start = System.nanoTime();
    assertThatThrownBy(() -> bound.acquire(1)).isInstanceOf(OverloadedException.class)
        .hasMessageContaining("1 waiting, the most allowed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1)); // refused at once
    held.close();
    waiter.get(5, TimeUnit.SECONDS).close();
    assertThat(bound.inUse()).isZero();
    assertThat(bound.waiting()).isZero();
  }

  @Test
  void aWaitThatRunsOutIsRefusedAndLaterCallersDoNotQueueBehindIt() {
    Bulkhead bound = new Bulkhead("b", 1, 4, Duration.ofMillis(200));
    Bulkhead.Permit held = bound.acquire(1);
    assertThatThrownBy(() -> bound.acquire(1)).isInstanceOf(OverloadedException.class)
        .hasMessageContaining("for the 200 ms a request may wait");
    held.close();
    bound.acquire(1).close(); // the abandoned ticket does not block the next caller
    assertThat(bound.shed()).isEqualTo(1);
  }

  @Test
  void waitersAreServedInTheOrderTheyCame() throws Exception {
    Bulkhead bound = new Bulkhead("b", 1, 10, Duration.ofSeconds(10));
    Bulkhead.Permit held = bound.acquire(1);
    List<Integer> order = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      threads.submit(() -> {
        try (Bulkhead.Permit p = bound.acquire(1)) {
          order.add(n);
        }
        return null;
      });
      awaitWaiting(bound, i + 1);
    }
    held.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (order.size() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(order).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void weightsAreUnitsAndOneRequestLargerThanTheCapacityRunsAlone() throws Exception {
    Bulkhead tokens = new Bulkhead("stuffed-tokens", 1_000, 2, Duration.ofSeconds(10));
    Bulkhead.Permit small = tokens.acquire(600);
    assertThat(tokens.inUse()).isEqualTo(600);
    CompletableFuture<Bulkhead.Permit> huge = CompletableFuture.supplyAsync(() -> tokens.acquire(5_000_000), threads);
    awaitWaiting(tokens, 1);
    small.close();
    Bulkhead.Permit alone = huge.get(5, TimeUnit.SECONDS);
    assertThat(tokens.inUse()).isEqualTo(1_000);
    Future<Bulkhead.Permit> next = threads.submit(() -> tokens.acquire(1));
    awaitWaiting(tokens, 1);
    alone.close();
    next.get(5, TimeUnit.SECONDS).close();
    assertThat(tokens.inUse()).isZero();
  }

  @Test
  void aWaiterWhoseClientWentAwayLeavesTheQueue() throws Exception {
    Bulkhead bound = new Bulkhead("b", 1, 4, Duration.ofSeconds(30));
    Bulkhead.Permit held = bound.acquire(1);
    Future<Bulkhead.Permit> waiter = threads.submit(() -> bound.acquire(1));
    awaitWaiting(bound, 1);
    waiter.cancel(true);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (bound.waiting() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(bound.waiting()).isZero();
    held.close();
    bound.acquire(1).close();
    assertThat(bound.inUse()).isZero();
  }

  @Test
  void anInterruptedWaiterGetsACancellation() {
    Bulkhead bound = new Bulkhead("b", 1, 4, Duration.ofSeconds(30));
    Bulkhead.Permit held = bound.acquire(1);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> bound.acquire(1)).isInstanceOf(CancellationException.class);
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      held.close();
    }
  }

  @Test
  void unboundedAdmitsEverything() {
    Bulkhead none = Bulkhead.unbounded("none");
    for (int i = 0; i < 1000; i++) {
      none.acquire(Long.MAX_VALUE);
    }
    assertThat(none.shed()).isZero();
  }

  private static void awaitWaiting(Bulkhead bound, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (bound.waiting() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + count + " waiting in " + bound);
      }
      Thread.sleep(2);
    }
  }
}
