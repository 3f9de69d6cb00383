package rag.storage.vector;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The open store of every vector generation in use, and the current one: the configured embedder's, which ingest
 * writes and questions search. Older generations stay open while collections still search them (until each is
 * re-indexed) or documents still have vectors in them; a generation nothing uses any more is dropped.
 */
public final class VectorGenerations implements Closeable {
  private static final Logger LOG = Logger.getLogger(VectorGenerations.class);

  private final VectorGeneration current;
  private final GenerationStores storage;
  private final Map<Integer, VectorGeneration> known;
  private final Map<Integer, VectorStore> stores;
  private final boolean ownsStores;

  private VectorGenerations(VectorGeneration current, GenerationStores storage, Map<Integer, VectorGeneration> known,
      Map<Integer, VectorStore> stores, boolean ownsStores) {
    this.current = current;
    this.storage = storage;
    this.known = known;
    this.stores = stores;
    this.ownsStores = ownsStores;
  }

  /**
   * Opens the current generation's store and the stores of the generations in {@code inUse}; the other
   * {@code registered} generations are dropped (a switch that crashed before dropping its old generation, or a
   * generation that never got a vector).
   */
  public static VectorGenerations open(VectorGeneration current, Collection<VectorGeneration> registered,
      Set<Integer> inUse, GenerationStores storage) {
    Map<Integer, VectorGeneration> known = new ConcurrentHashMap<>();
    Map<Integer, VectorStore> stores = new ConcurrentHashMap<>();
    registered.forEach(g -> known.put(g.id(), g));
    known.put(current.id(), current);
    try {
      stores.put(current.id(), storage.open(current));
      for (VectorGeneration g : registered) {
        if (g.id() == current.id()) {
          continue;
        }
        if (inUse.contains(g.id())) {
          stores.put(g.id(), storage.open(g));
        } else {
          storage.drop(g);
        }
      }
    } catch (RuntimeException e) {
      for (VectorStore s : stores.values()) {
        try {
          s.close();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new VectorGenerations(current, storage, known, stores, true);
  }

  /** The generation of the configured embedder: ingest writes it, questions search it. */
  public VectorGeneration current() {
    return current;
  }

  public VectorStore currentStore() {
    return stores.get(current.id());
  }

  /** A registered generation, open or not. */
  public Optional<VectorGeneration> generation(int id) {
    return Optional.ofNullable(known.get(id));
  }

  /** The registered generation of this model and dimension. */
  public Optional<VectorGeneration> find(String model, int dimension) {
    return known.values().stream().filter(g -> g.isOf(model, dimension)).findFirst();
  }

  /** Remembers a generation registered since the stores were opened (by another instance). */
  public void learn(VectorGeneration generation) {
    known.putIfAbsent(generation.id(), generation);
  }

  /** The open store of a generation. */
  public Optional<VectorStore> store(int id) {
    return Optional.ofNullable(stores.get(id));
  }

  /** Every open store by its generation, the current one first. */
  public Map<VectorGeneration, VectorStore> open() {
    Map<VectorGeneration, VectorStore> open = new LinkedHashMap<>();
    open.put(current, currentStore());
    stores.forEach((id, store) -> {
      if (id != current.id()) {
        open.put(known.get(id), store);
      }
    });
    return open;
  }

  /** Closes and deletes a generation's store; never the current one. */
  public synchronized void drop(int id) {
    if (id == current.id()) {
      throw new IllegalArgumentException("generation " + id + " is the current one and cannot be dropped");
    }
    VectorGeneration generation = known.get(id);
    VectorStore store = stores.remove(id);
    try {
      if (store != null) {
        store.close();
      }
    } catch (IOException e) {
      LOG.warnf(e, "closing the vectors of generation %d before dropping them failed", id);
    }
    if (generation != null) {
      storage.drop(generation);
      LOG.infof("dropped the vectors of %s (generation %d): no collection searches them any more",
          generation.describe(), id);
    }
  }

  /**
   * The same generations with the current store replaced by {@code replacement}, which must wrap it (benchmarks time
   * their writes this way). Closing the view closes nothing; the original closes the stores.
   */
  public VectorGenerations withCurrentStore(VectorStore replacement) {
    Map<Integer, VectorStore> replaced = new ConcurrentHashMap<>(stores);
    replaced.put(current.id(), replacement);
    return new VectorGenerations(current, storage, known, replaced, false);
  }

  @Override
  public void close() throws IOException {
    if (!ownsStores) {
      return;
    }
    IOException failure = null;
    for (VectorStore s : stores.values()) {
      try {
        s.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return currentStore().toString();
  }
}
