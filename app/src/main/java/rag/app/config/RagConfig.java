package rag.app.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import io.quarkus.runtime.configuration.MemorySize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** All of the service's own configuration, under {@code rag.}. Bad values stop start-up with a clear message. */
@ConfigMapping(prefix = "rag")
public interface RagConfig {

  /** Directory for everything the service keeps on disk (catalog, indexes, upload spool, reports). */
  @WithDefault("data")
  Path dataDir();

  /** Where the catalog and the vectors live. */
  Storage storage();

  /** The OpenSearch cluster that holds the BM25 and vector indexes of the cluster backend. */
  OpenSearch opensearch();

  /** What this instance does. */
  Node node();

  interface Node {
    /**
     * {@code api}: answers the HTTP API (uploads are accepted and queued); {@code ingest}: parses and embeds queued
     * files. Both by default. One of them alone needs the cluster backend, where every instance sees the same queue.
     */
    @WithDefault("api,ingest")
    Set<Role> roles();
  }

  enum Role { API, INGEST }

  interface OpenSearch {
    /**
     * Base URLs of the cluster's nodes, comma-separated (e.g. http://os1:9200,http://os2:9200); required by
     * {@code rag.storage.backend=cluster}. Requests go to one node and move on to the next when it cannot be reached.
     */
    Optional<List<String>> urls();

    /**
     * Start of the index names: aliases {@code <prefix>-chunks} (BM25) and {@code <prefix>-vectors-g<N>} (vectors of
     * generation N), so several archives can share one cluster.
     */
    @WithDefault("rag")
    String indexPrefix();

    /** Primary shards of indexes created from now on. */
    @WithDefault("3")
    @Min(1)
    @Max(1024)
    int shards();

    /** Replicas of each shard (1: every shard survives the loss of one node). */
    @WithDefault("1")
    @Min(0)
    @Max(16)
    int replicas();

    /** Longest wait for one request to the cluster (force merges wait longer). */
    @WithDefault("30s")
    Duration timeout();

    /** User for HTTP basic authentication (a managed cluster); none by default. */
    Optional<String> username();

    /** Password for basic authentication; never logged. */
    Optional<String> password();

    /**
     * How often each instance looks for search outbox entries (what was published, embedded or deleted while the
     * cluster could not be written, and the removal of replaced versions); it backs off up to 10 s while the
     * cluster is away.
     */
    @WithDefault("1s")
    Duration outboxPoll();
  }

  /** Index tuning. */
  Index index();

  /** The embedding model shared by ingest and query. */
  Embedding embedding();

  /** Uploads, workers and limits. */
  Ingest ingest();

  /** Chunk sizes. */
  Chunking chunking();

  /**
   * Model profiles by name ({@code rag.models.<name>.*}); {@code llama4-scout} and {@code qwen3}
   * are built in (application.properties) and any number can be added.
   */
  Map<String, Model> models();

  /** How questions are planned and retrieved. */
  Planner planner();

  /** API keys and who may read what. */
  Security security();

  /** Bounds on concurrent work where questions cost the most; beyond them requests get 503 with Retry-After. */
  Admission admission();

  interface Admission {
    /** Longest a request waits in a model's or the stuffed prompts' queue before it is refused. */
    @WithDefault("10s")
    Duration maxWait();

    /** Question embeddings computed at once (the in-process model shares the cores with everything else). */
    @WithDefault("4")
    @Min(1)
    int embeddingsConcurrent();

    /** Question embeddings that may wait for a place; more are refused at once. */
    @WithDefault("64")
    @Min(0)
    int embeddingsWaiting();

    /**
     * Longest a question waits for an embedding place: an embedding takes milliseconds, so a longer wait means the
     * service is over capacity, and a quick 503 serves a client better than a request queued for seconds.
     */
    @WithDefault("1s")
    Duration embeddingsMaxWait();

    /**
     * Prompt tokens of stuffed plans in flight, assembly and generation included (a prompt larger than this runs
     * alone).
     */
    @WithDefault("20000000")
    @Min(1)
    long stuffedTokens();

    /** Stuffed plans that may wait for their tokens; more are refused at once. */
    @WithDefault("8")
    @Min(0)
    int stuffedWaiting();
  }

  /** A cross-encoder that reorders retrieved chunks ({@code hybrid+rerank}; answers too when configured). */
  Rerank rerank();

  interface Rerank {
    /**
     * The rerank server's base URL; the endpoint is {@code <base-url>/rerank} (vLLM: {@code http://host:8000/v1},
     * TEI and Infinity: {@code http://host:8080}). Absent (the default): no reranking.
     */
    Optional<String> baseUrl();

    /** The model name sent with each request (vLLM and Infinity need it; TEI serves one model and ignores it). */
    Optional<String> model();

    /** Sent as {@code Authorization: Bearer}; from the environment: {@code RAG_RERANK_API_KEY}. */
    Optional<String> apiKey();

    /**
     * The request shape: {@code cohere} ({@code documents} in, {@code results[].relevance_score} out: vLLM, Infinity,
     * Jina, Cohere) or {@code tei} ({@code texts} in, {@code [{index, score}]} out).
     */
    @WithDefault("cohere")
    String api();

    /** How many of the fused best chunks are reranked; the rest follow in fused order. */
    @WithDefault("50")
    @Min(1)
    @Max(1000)
    int topN();

    /** Each chunk is cut to this many characters before it is sent (cross-encoders read about 512 tokens). */
    @WithDefault("2000")
    @Min(100)
    int maxChars();

    /** A rerank call taking longer is abandoned and the fused order stands (the plan says so). */
    @WithDefault("5s")
    Duration timeout();

    /** Whether question answering reranks its candidates before packing (searches and evaluations ask by name). */
    @WithDefault("true")
    boolean answers();
  }

  interface Security {
    /**
     * Secret mixed into the hashes of API key secrets (at least 16 bytes; from the environment:
     * {@code RAG_SECURITY_PEPPER}). Every instance on one database must share it; absent, a random one is kept in the
     * data directory.
     */
    Optional<String> pepper();

    /**
     * Ensures an admin key with this secret at start (every collection, every scope): a key of the form
     * {@code rk_<id>_<secret>}, or any string of at least 32 characters. From the environment:
     * {@code RAG_SECURITY_BOOTSTRAP_ADMIN_KEY}.
     */
    Optional<String> bootstrapAdminKey();

    /** Without any key the service runs open; it then refuses to listen beyond loopback unless this is true. */
    @WithDefault("false")
    boolean allowOpen();

    /** What one key may ask of the service; beyond it, 429 with Retry-After, so that no key slows the others. */
    Limits limits();
  }

  interface Limits {
    /** Requests per second, sustained, per key (a token bucket refilled at this rate). */
    @WithDefault("50")
    @DecimalMin("0.1")
    double requestsPerSecond();

    /** Requests a key may send at once after a quiet spell (the bucket's size). */
    @WithDefault("100")
    @Min(1)
    int burst();

    /** Requests of one key in progress at once (a streamed answer counts until its stream ends). */
    @WithDefault("8")
    @Min(1)
    int concurrentRequests();

    /** Ingest jobs (uploads, folders, re-indexes) of one key queued or running at once, per instance. */
    @WithDefault("4")
    @Min(1)
    int concurrentIngestJobs();

    /**
     * The most prompt tokens one request of a key may have stuffed, with any profile: {@code auto} retrieves above it,
     * {@code stuff} is refused with 413. Absent: only the model's window limits.
     */
    Optional<@Min(256) Long> maxStuffedTokens();

    /**
     * Turns a conversation of a key may hold (a question and its answer are two), and messages a key may send in one
     * /v1/chat/completions request; beyond, 413: start a new conversation.
     */
    @WithDefault("400")
    @Min(2)
    int maxChatTurns();

    /** Bytes one key may upload in any hour (files as received, before archives are expanded). */
    @WithDefault("20G")
    MemorySize uploadBytesPerHour();
  }

  interface Model {
    /** OpenAI-compatible API root including {@code /v1}; absent: answers are extractive. */
    Optional<String> baseUrl();

    /** Requests (answers, follow-up rewrites) this service sends the profile's server at once. */
    @WithDefault("16")
    @Min(1)
    int maxConcurrent();

    /** Requests that may wait for one of those places ({@code rag.admission.max-wait} at most); more get 503. */
    @WithDefault("64")
    @Min(0)
    int maxWaiting();

    /** The model name the server knows; the profile's name when absent. */
    Optional<String> model();

    /** Sent as a Bearer token; never logged. */
    Optional<String> apiKey();

    /** The window the server was started with (vLLM {@code --max-model-len}), in tokens. */
    @WithDefault("262144")
    @Min(256)
    long contextWindow();

    /** Tokens kept free for the answer. */
    @WithDefault("4096")
    @Min(1)
    int answerReserve();

    /**
     * The model's tokenizer: {@code qwen3} (shipped: plans count exactly, without margin) or {@code cl100k_base}
     * (the stored counts: plans estimate them with the safety margin, or calibrate them by the server's
     * {@code /tokenize}).
     */
    @WithDefault("cl100k_base")
    String tokenizer();

    /** Prompt tokens per second the server prefills, for latency estimates in plans. */
    Optional<Double> prefillTokensPerSecond();

    /** With a prefill speed: {@code auto} does not stuff a prompt whose estimated prefill takes longer (seconds). */
    Optional<Double> maxPrefillSeconds();

    /** The longest context (tokens) the model answers well from; {@code auto} stuffs only within it. */
    Optional<Long> effectiveContext();

    /** Longest a whole answer may take. */
    @WithDefault("5m")
    Duration timeout();

    /**
     * Longest the answer stream may go quiet once the first token has come (the prefill before it is
     * bounded by {@link #timeout()} alone).
     */
    @WithDefault("60s")
    Duration stallTimeout();

    /** Most prompt tokens retrieval packs (quality and latency often peak below the window). */
    @WithDefault("32768")
    @Min(256)
    long retrievalBudget();
  }

  interface Planner {
    /** The profile used when a request names none. */
    @WithDefault("qwen3")
    String defaultProfile();

    /** Added to token estimates made from stored counts. */
    @WithDefault("0.10")
    @DecimalMin("0")
    @DecimalMax("1")
    double safetyMargin();

    /** Reciprocal rank fusion's k. */
    @WithDefault("60")
    @Min(1)
    int rrfK();

    /**
     * Weight of BM25's ranking in the fusion (weighted reciprocal rank fusion: weight / (k + rank)); with
     * {@code dense-weight}, 1 and 1 is plain RRF. Measured with scripts/bench-qa.sh (docs/benchmarks.md).
     */
    @WithDefault("1.0")
    @DecimalMin("0")
    @DecimalMax("10")
    double bm25Weight();

    /** Weight of the kNN ranking in the fusion; see {@code bm25-weight}. */
    @WithDefault("1.0")
    @DecimalMin("0")
    @DecimalMax("10")
    double denseWeight();

    /**
     * How BM25's and kNN's rankings are fused: {@code score} (each list's scores scaled to 0..1 by min-max, then summed
     * with the weights; the default) or {@code rrf} (weighted reciprocal rank fusion, by rank). Measured with
     * scripts/bench-qa.sh and scripts/bench-retrieval.sh: score fusion is ahead on both (docs/benchmarks.md).
     */
    @WithDefault("score")
    String fusion();

    /**
     * Retrieve mode: candidates are packed in maximal-marginal-relevance order with this lambda (relevance against
     * word overlap with the passages already packed), so that a small budget holds more different passages; 1 (the
     * default) packs them in ranked order.
     */
    @WithDefault("1.0")
    @DecimalMin("0")
    @DecimalMax("1")
    double mmrLambda();

    /**
     * Whether {@code auto} routes for a profile with a model server: retrieval first, then a doubled budget and the
     * whole scope each time the model replies that the excerpts lack the answer (Self-Route); a scope within the
     * retrieval budget is stuffed at once. Off: {@code auto} stuffs whenever the scope fits.
     */
    @WithDefault("true")
    boolean selfRoute();

    /** Chunks asked from BM25 and from kNN before fusion. */
    @WithDefault("100")
    @Min(1)
    @Max(10000)
    int candidates();

    /** Most chunks packed in retrieve mode when a request does not say. */
    @WithDefault("40")
    @Min(1)
    @Max(1000)
    int topK();

    /** Chunks of different documents at least this similar (word 3-shingle Jaccard) count as duplicates. */
    @WithDefault("0.9")
    @DecimalMin("0.01")
    @DecimalMax("1")
    double nearDuplicateThreshold();

    /**
     * How often published versions not yet counted in the exact tokenizers of the profiles (qwen3) are counted in the
     * background, so that stuffing plans only add stored numbers (a plan counts what is missing itself).
     */
    @WithDefault("30s")
    Duration exactCountsInterval();
  }

  interface Ingest {
    /** Server folders that {@code POST .../ingest-path} may read, recursively; empty (the default) allows none. */
    Optional<List<Path>> allowedRoots();

    /**
     * Whether tables are read as rows under their header and chunked in whole rows (PDF pages laid out as tables,
     * tables of HTML and office files, CSV and TSV files); off, as plain text, as Tika reads them.
     */
    @WithDefault("true")
    boolean tables();

    /** Largest single file accepted (also per archive member); larger uploads get 413. */
    @WithDefault("256M")
    MemorySize maxFileSize();

    /** Most entries one zip or tar upload may hold. */
    @WithDefault("10000")
    @Min(1)
    int maxArchiveEntries();

    /** Most bytes one archive upload may expand to. */
    @WithDefault("2G")
    MemorySize maxExpandedSize();

    /** Most an archive may expand relative to its own size (zip bombs). */
    @WithDefault("100")
    @DecimalMin("1")
    double maxCompressionRatio();

    /** Parse workers (embedding runs on its own worker and uses every core). */
    @WithDefault("2")
    @Min(1)
    @Max(64)
    int workers();

    /** Files that may wait or run at once; beyond it uploads get 503 with Retry-After. */
    @WithDefault("10000")
    @Min(1)
    int queueCapacity();

    /** Longest one file may take to parse before it fails with parse-timeout. */
    @WithDefault("120s")
    Duration parseTimeout();

    /** Most characters of text kept from one file; the rest is dropped with a warning. */
    @WithDefault("50000000")
    @Min(1000)
    long maxTextChars();

    /** Chunks embedded per batch. */
    @WithDefault("32")
    @Min(1)
    @Max(1024)
    int embedBatch();

    /**
     * Searchable first: while files wait to be parsed, embedding waits up to this long before each batch, and each
     * text of a batch already running waits up to this long before it starts, so that a large upload becomes
     * searchable by keywords sooner (the embedder otherwise takes the cores the parse workers need); 0 embeds as soon
     * as a file is searchable.
     */
    @WithDefault("30s")
    Duration embedDefer();

    /**
     * Cluster backend: how long an ingest worker holds a file it claimed without renewing its lease (it renews every
     * third of it); a worker that dies mid-file leaves it to another after this long.
     */
    @WithDefault("30s")
    Duration lease();
  }

  interface Chunking {
    /** Largest chunk, in tokens (cl100k_base). */
    @WithDefault("400")
    @Min(16)
    @Max(8192)
    int maxTokens();

    /** Tokens repeated from the end of one chunk at the start of the next (prose). */
    @WithDefault("50")
    @Min(0)
    int overlapTokens();
  }

  interface Storage {
    /**
     * {@code embedded} (default: SQLite catalog and Lucene HNSW under the data directory), {@code postgres} (catalog
     * and pgvector in PostgreSQL, BM25 under the data directory) or {@code cluster} (catalog in PostgreSQL, BM25 and
     * vectors on the OpenSearch cluster of {@code rag.opensearch.*}: several instances share one archive).
     */
    @WithDefault("embedded")
    Backend backend();

    /** JDBC URL of PostgreSQL with pgvector, required for the postgres backend, e.g. jdbc:postgresql://localhost:5432/rag. */
    Optional<String> jdbcUrl();

    /** Database user. */
    Optional<String> username();

    /** Database password; never logged. */
    Optional<String> password();

    /** Maximum database connections. */
    @WithDefault("8")
    @Min(1)
    @Max(200)
    int poolSize();

    /**
     * Cluster backend: how long a version may stay staged (written, not yet published) as another instance's write
     * in progress; an instance starting discards older ones as left by a crash, and keeps younger ones.
     */
    @WithDefault("15m")
    Duration stagedGrace();
  }

  enum Backend { EMBEDDED, POSTGRES, CLUSTER }

  interface Index {
    /** BM25 term-frequency saturation. */
    @WithDefault("0.9")
    @DecimalMin("0")
    @DecimalMax("10")
    float bm25K1();

    /** BM25 length normalization, 0 to 1. */
    @WithDefault("0.4")
    @DecimalMin("0")
    @DecimalMax("1")
    float bm25B();

    /**
     * BM25 weight of a match in a chunk's header (its document's title or file name, its section or code symbol, its
     * speaker) against a match in its text (1); 0 leaves headers out. Measured with scripts/bench-qa.sh.
     */
    @WithDefault("0.5")
    @DecimalMin("0")
    @DecimalMax("10")
    float titleWeight();

    /**
     * Whether the embedding model reads each chunk after its header (title or file name, section, speaker), so that
     * a chunk of {@code Inventory.java} knows it is about inventories; the text users see and cite is unchanged.
     * Changing it applies to documents embedded from then on (re-index a collection to apply it to all).
     */
    @WithDefault("false")
    boolean embedContext();

    /** HNSW links per node (both engines). */
    @WithDefault("16")
    @Min(2)
    @Max(100)
    int hnswM();

    /** HNSW build beam width; 128 keeps recall@10 near 0.98+ on corpora with many near-duplicate chunks. */
    @WithDefault("128")
    @Min(4)
    @Max(1000)
    int hnswEfConstruction();

    /** HNSW query beam width (candidates examined per kNN search). */
    @WithDefault("50")
    @Min(1)
    @Max(1000)
    int hnswEfSearch();
  }

  interface Embedding {
    /** {@code in-process} (ONNX, the default: no server needed) or {@code openai} (an OpenAI-compatible /v1/embeddings server). */
    @WithDefault("in-process")
    EmbeddingProvider provider();

    /** The OpenAI-compatible embedding server, when {@code provider=openai}. */
    OpenAiEmbedding openai();

    /** In-process model: {@code bge-small-en-v1.5-q} (default) or {@code all-minilm-l6-v2-q}. */
    @WithDefault("bge-small-en-v1.5-q")
    String model();

    /** Threads embedding in parallel, one ONNX session thread each; 0 means one per core. */
    @WithDefault("0")
    @Min(0)
    @Max(64)
    int threads();
  }

  enum EmbeddingProvider { IN_PROCESS, OPENAI }

  interface OpenAiEmbedding {
    /** API root including {@code /v1}, e.g. {@code http://localhost:8080/v1} (vLLM, Ollama, TEI). */
    Optional<String> baseUrl();

    /** The model name the server knows, e.g. {@code BAAI/bge-small-en-v1.5}. */
    Optional<String> model();

    /** Sent as a Bearer token; never logged. */
    Optional<String> apiKey();

    /** Vector size; discovered with one probe request when absent. */
    Optional<Integer> dimension();

    /** Put before every question (not before documents), for models trained with a query instruction. */
    Optional<String> queryPrefix();

    @WithDefault("60s")
    Duration timeout();

    @WithDefault("64")
    @Min(1)
    @Max(2048)
    int batchSize();

    @WithDefault("2")
    @Min(0)
    @Max(10)
    int maxRetries();
  }

  /** Evaluation runs: needle-in-a-haystack grids and retrieval accuracy on BEIR datasets. */
  Eval eval();

  interface Eval {
    /** Where each run keeps its folder (settings, state, result, report.html); default {@code <data-dir>/eval}. */
    Optional<Path> reportsDir();

    /** Where runs build their scratch archives (deleted after each run); default the system's temporary folder. */
    Optional<Path> scratchDir();

    /** Longest NIAH context length a run may ask for, in tokens. */
    @WithDefault("10000000")
    @Min(1000)
    @Max(100000000)
    int maxContextLength();

    /** Most cells (context lengths x depths) in one NIAH run. */
    @WithDefault("400")
    @Min(1)
    int maxGridCells();

    /** Tokens per haystack document: a NIAH haystack is indexed as documents of about this size. */
    @WithDefault("4096")
    @Min(256)
    @Max(65536)
    int haystackDocumentTokens();

    /** Runs that may wait for the one evaluation worker; beyond it submissions get 503. */
    @WithDefault("20")
    @Min(1)
    @Max(1000)
    int maxQueuedRuns();
  }
}
