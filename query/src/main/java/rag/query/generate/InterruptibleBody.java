package rag.query.generate;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body as an InputStream whose blocked read ends when the reading thread is interrupted (the client of
 * the service went away) or when another thread closes it. The JDK's {@code BodyHandlers.ofInputStream()} swallows
 * interrupts while it waits for data, so an abandoned answer would read on to its end.
 */
final class InterruptibleBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  private static final Object END = new Object();

  private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private ByteBuffer current = ByteBuffer.allocate(0);
  private List<ByteBuffer> pending = List.of();
  private int nextInPending;
  private boolean ended;

  /** For {@code HttpClient.sendAsync}: the response completes with the headers, the body streams after. */
  static HttpResponse.BodyHandler<InputStream> handler() {
    return info -> new InterruptibleBody();
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedStage(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    arrived.add(buffers);
  }

  @Override
  public void onError(Throwable failure) {
    arrived.add(failure);
  }

  @Override
  public void onComplete() {
    arrived.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (!current.hasRemaining()) {
      if (!nextBuffer()) {
        return -1;
      }
    }
    int n = Math.min(length, current.remaining());
    current.get(into, offset, n);
    return n;
  }

  private boolean nextBuffer() throws IOException {
    if (nextInPending < pending.size()) {
      current = pending.get(nextInPending++);
      return true;
    }
    if (ended || closed) {
      if (closed && !ended) {
        throw new IOException("the response body was closed");
      }
      return false;
    }
    Object next;
    try {
      next = arrived.take();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the response");
    }
    if (next == END) {
      if (closed) {
        throw new IOException("the response body was closed");
      }
      ended = true;
      return false;
    }
    if (next instanceof Throwable failure) {
      ended = true;
      throw failure instanceof IOException io ? io : new IOException(failure);
    }
    @SuppressWarnings("unchecked")
    List<ByteBuffer> buffers = (List<ByteBuffer>) next;
    pending = buffers;
    nextInPending = 0;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.request(1);
    }
    return true;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    arrived.add(END); // wakes a reader blocked in take()
  }
}
