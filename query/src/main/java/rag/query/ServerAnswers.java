package rag.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import rag.query.profile.ModelProfile;

/**
 * What each profile's model server said about something, asked once per profile. An answer that says nothing
 * (a server without the endpoint, or one that is down) is kept for ten minutes, then the server is asked again.
 */
final class ServerAnswers<T> {
  private static final long RETRY_NANOS = 600_000_000_000L;

  private record Entry<T>(T answer, boolean known, long at) {}

  private final Function<ModelProfile, T> ask;
  private final Predicate<T> known;
  private final Map<String, Entry<T>> cache = new ConcurrentHashMap<>();

  /** @param known whether an answer says something (then it is kept for good) */
  ServerAnswers(Function<ModelProfile, T> ask, Predicate<T> known) {
    this.ask = ask;
    this.known = known;
  }

  T get(ModelProfile profile) {
    Entry<T> e = cache.get(profile.name());
    if (e != null && (e.known() || System.nanoTime() - e.at() < RETRY_NANOS)) {
      return e.answer();
    }
    T answer = ask.apply(profile);
    cache.put(profile.name(), new Entry<>(answer, known.test(answer), System.nanoTime()));
    return answer;
  }
}
