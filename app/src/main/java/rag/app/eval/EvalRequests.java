package rag.app.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import rag.app.api.ProblemException;
import rag.storage.problem.ProblemType;
import rag.eval.niah.Needle;
import rag.eval.niah.NeedleSet;
import rag.eval.niah.NiahGrid;
import rag.eval.budget.BudgetSweep;
import rag.eval.qa.QaQuestion;
import rag.eval.qa.QuestionSets;
import rag.query.retrieve.RetrieverKind;
import rag.storage.evals.QuestionSetStore;
import rag.eval.niah.NiahSettings;
import rag.eval.stack.ArchiveRetriever;
import rag.query.profile.ModelProfile;
import rag.query.profile.ModelProfiles;
import rag.storage.catalog.CatalogReader;
import rag.storage.model.CollectionNames;

/**
 * Turns posted settings into runnable plans, filling in defaults, or refuses them with a precise problem: 400 for a
 * bad value (the message names the field, the value and what is allowed), 403 for a server path outside
 * {@code rag.ingest.allowed-roots} (checked unless the caller is the command line).
 */
final class EvalRequests {
  static final List<Integer> DEFAULT_LENGTHS = NiahGrid.logSpacedLengths(1_000, 128_000, 8);
  static final List<Double> DEFAULT_DEPTHS = NiahGrid.linearDepths(5);
  static final List<String> DEFAULT_RETRIEVERS = List.of("bm25", "dense", "hybrid");
  private static final int MAX_NEEDLES = 20;
  private static final int MAX_NEEDLE_CHARS = 2_000;
  private static final int MAX_DISTRACTORS = 100;

  private final ModelProfiles profiles;
  private final EvalLimits limits;
  private final List<Path> allowedRoots;
  private final CatalogReader catalog;
  private final boolean canRerank;

  EvalRequests(ModelProfiles profiles, EvalLimits limits, List<Path> allowedRoots, CatalogReader catalog) {
    this(profiles, limits, allowedRoots, catalog, false);
  }

  /** @param canRerank whether a reranker is configured, for {@code hybrid+rerank} */
  EvalRequests(ModelProfiles profiles, EvalLimits limits, List<Path> allowedRoots, CatalogReader catalog,
      boolean canRerank) {
    this.canRerank = canRerank;
    this.profiles = Objects.requireNonNull(profiles, "profiles");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.allowedRoots = List.copyOf(allowedRoots);
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  NiahPlan niah(NiahRequest request, boolean checkRoots) {
    NiahRequest r = request == null ? NiahRequest.defaults() : request;
    if (r.haystackPath() != null && r.collection() != null) {
      throw bad("give haystackPath or collection, not both");
    }
    Path folder = null;
    if (r.haystackPath() != null) {
      folder = folder("haystackPath", r.haystackPath(), checkRoots);
      try (Stream<Path> files = Files.list(folder)) {
        if (files.noneMatch(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt"))) {
          throw bad("haystackPath '" + r.haystackPath() + "' holds no .txt files");
        }
      } catch (IOException e) {
        throw bad("haystackPath '" + r.haystackPath() + "' cannot be read: " + e.getMessage());
      }
    }
    if (r.collection() != null) {
      if (!CollectionNames.isValidName(r.collection()) || catalog.collection(r.collection()).isEmpty()) {
        throw bad("there is no collection '" + r.collection() + "'");
      }
    }
    ModelProfile profile = profile(r.profile());
    NiahMode mode = mode(r.mode());
    if (mode == NiahMode.END_TO_END && !profile.hasModel()) {
      throw bad("mode end-to-end needs a model, and profile '" + profile.name() + "' has no base URL");
    }
    List<Integer> lengths = lengths(r.contextLengths());
    List<Double> depths = depths(r.depthPercents());
    if ((long) lengths.size() * depths.size() > limits.maxGridCells()) {
      throw bad("the grid has " + lengths.size() + " x " + depths.size() + " = " + lengths.size() * depths.size()
          + " cells, at most " + limits.maxGridCells() + " (rag.eval.max-grid-cells)");
    }
    String variant = r.variant() == null ? "single" : r.variant();
    NeedleSet needles = needles(variant, r);
    double threshold = r.foundThreshold() == null ? NiahSettings.DEFAULT_FOUND_THRESHOLD : r.foundThreshold();
    if (!(threshold > 0 && threshold <= 1)) {
      throw bad("illegal foundThreshold " + r.foundThreshold() + ", must be in (0, 1]");
    }
    ModelProfile judge = null;
    if (r.judgeProfile() != null) {
      if (mode != NiahMode.END_TO_END) {
        throw bad("judgeProfile grades a model's answers: it needs mode end-to-end, not " + mode.wireName());
      }
      judge = profile(r.judgeProfile());
      if (!judge.hasModel()) {
        throw bad("judgeProfile '" + judge.name() + "' has no base URL: a judge needs a model server");
      }
    }
    boolean multiKey = variant.equals("multi-key");
    NiahRequest settings = new NiahRequest(folder == null ? null : folder.toString(), r.collection(), profile.name(),
        mode.wireName(), lengths, depths, multiKey ? null : needles.targets().stream().map(Needle::text).toList(),
        multiKey ? null : needles.targets().stream().map(Needle::answer).toList(), needles.question(), variant,
        multiKey ? needles.distractors().size() : null, multiKey ? seed(r) : null, threshold,
        judge == null ? null : judge.name());
    return new NiahPlan(settings, folder, r.collection(), profile, mode, new NiahGrid(lengths, depths), needles,
        threshold, limits.documentTokens(), judge);
  }

  DraftPlan draft(DraftRequest r, QuestionSetStore sets) {
    if (r == null || r.collection() == null || r.name() == null) {
      throw bad("send {\"collection\": \"...\", \"name\": \"...\"} (and profile, questions, seed)");
    }
    if (!CollectionNames.isValidName(r.collection()) || catalog.collection(r.collection()).isEmpty()) {
      throw bad("there is no collection '" + r.collection() + "'");
    }
    if (!rag.app.api.QuestionSetsResource.NAME.matcher(r.name()).matches()) {
      throw bad("illegal set name '" + r.name() + "': letters, digits, '.', '_' and '-', at most 64, starting with a"
          + " letter or digit");
    }
    if (sets.lines(r.collection(), r.name()).isPresent()) {
      throw ProblemException.conflict("collection '" + r.collection() + "' already has a question set '" + r.name()
          + "'; choose another name (or delete that set)");
    }
    ModelProfile profile = profile(r.profile());
    if (!profile.hasModel()) {
      throw bad("drafting asks a model, and profile '" + profile.name() + "' has no base URL");
    }
    int count = r.questions() == null ? 20 : ProblemException.requireRange("questions", r.questions(), 1, 200);
    long seed = r.seed() == null ? 1 : r.seed();
    return new DraftPlan(new DraftRequest(r.collection(), r.name(), profile.name(), count, seed), r.collection(),
        r.name(), profile, count, seed);
  }

  QaPlan qa(QaRequest r, QuestionSetStore sets) {
    if (r == null || r.collection() == null) {
      throw bad("send {\"collection\": \"...\", \"questionSet\": \"...\"} or inline \"questions\"");
    }
    if (!CollectionNames.isValidName(r.collection()) || catalog.collection(r.collection()).isEmpty()) {
      throw bad("there is no collection '" + r.collection() + "'");
    }
    boolean inline = r.questions() != null && !r.questions().isEmpty();
    if (inline == (r.questionSet() != null)) {
      throw bad("give a questionSet or inline questions, one of the two");
    }
    List<QaQuestion> questions = new ArrayList<>();
    if (inline) {
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (int i = 0; i < r.questions().size(); i++) {
        try {
          QaQuestion q = QuestionSets.question(r.questions().get(i));
          if (!ids.add(q.id())) {
            throw new IllegalArgumentException("the id '" + q.id() + "' is used twice");
          }
          questions.add(q);
        } catch (IllegalArgumentException e) {
          throw bad("questions[" + i + "]: " + e.getMessage());
        }
      }
    } else {
      String lines = sets.lines(r.collection(), r.questionSet()).orElseThrow(() -> bad("collection '"
          + r.collection() + "' has no question set '" + r.questionSet() + "'"));
      try {
        questions.addAll(QuestionSets.parse(lines));
      } catch (IllegalArgumentException e) {
        throw bad("question set '" + r.questionSet() + "': " + e.getMessage());
      }
    }
    List<String> names = r.retrievers() == null || r.retrievers().isEmpty() ? DEFAULT_RETRIEVERS : r.retrievers();
    LinkedHashSet<RetrieverKind> kinds = new LinkedHashSet<>();
    for (String name : names) {
      kinds.add(java.util.Arrays.stream(RetrieverKind.values()).filter(k -> k.wireName().equals(name)).findFirst()
          .orElseThrow(() -> bad("unknown retriever '" + name + "', must be bm25, dense, hybrid or hybrid+rerank")));
    }
    if (kinds.contains(RetrieverKind.HYBRID_RERANK) && !canRerank) {
      throw bad("retriever 'hybrid+rerank' needs a reranker, and none is configured (rag.rerank.base-url)");
    }
    int k = r.k() == null ? 10 : ProblemException.requireRange("k", r.k(), 10, 200);
    ModelProfile profile = profile(r.profile());
    List<Long> budgets = r.budgets() == null ? List.of() : r.budgets().stream().sorted().distinct().toList();
    if (budgets.size() > 12) {
      throw bad("give at most 12 budgets, not " + budgets.size());
    }
    for (Long b : budgets) {
      if (b == null || b < 256 || b > profile.promptWindow()) {
        throw bad(String.format(java.util.Locale.ROOT, "illegal budget %s, must be in 256..%d (profile %s's prompt"
            + " window)", b, profile.promptWindow(), profile.name()));
      }
    }
    boolean endToEnd = Boolean.TRUE.equals(r.endToEnd());
    if (endToEnd && !profile.hasModel()) {
      throw bad("endToEnd asks a model, and profile '" + profile.name() + "' has no base URL");
    }
    ModelProfile judge = null;
    if (r.judgeProfile() != null) {
      if (!endToEnd) {
        throw bad("judgeProfile grades a model's answers: it needs endToEnd: true");
      }
      judge = profile(r.judgeProfile());
      if (!judge.hasModel()) {
        throw bad("judgeProfile '" + judge.name() + "' has no base URL: a judge needs a model server");
      }
    }
    QaRequest settings = new QaRequest(r.collection(), r.questionSet(), r.questions(),
        kinds.stream().map(RetrieverKind::wireName).toList(), k, profile.name(), budgets.isEmpty() ? null : budgets,
        endToEnd, judge == null ? null : judge.name());
    return new QaPlan(settings, r.collection(), questions, List.copyOf(kinds), k, profile.name(), budgets,
        endToEnd, judge);
  }

  static final List<Long> DEFAULT_BUDGETS = List.of(4_096L, 8_192L, 16_384L, 32_768L, 65_536L);

  BudgetPlan budgets(BudgetRequest r) {
    if (r == null || r.collection() == null) {
      throw bad("send {\"collection\": \"...\", \"questions\": [{\"question\": \"...\", \"answer\": \"...\"}]}");
    }
    if (!CollectionNames.isValidName(r.collection()) || catalog.collection(r.collection()).isEmpty()) {
      throw bad("there is no collection '" + r.collection() + "'");
    }
    ModelProfile profile = profile(r.profile());
    if (!profile.hasModel()) {
      throw bad("a budget sweep asks a model, and profile '" + profile.name() + "' has no base URL");
    }
    List<Long> budgets = r.budgets() == null || r.budgets().isEmpty()
        ? DEFAULT_BUDGETS.stream().filter(b -> b <= profile.promptWindow()).toList()
        : r.budgets().stream().sorted().distinct().toList();
    if (budgets.isEmpty() || budgets.size() > 12) {
      throw bad("give 1 to 12 budgets, not " + budgets.size());
    }
    for (Long b : budgets) {
      if (b == null || b < 256 || b > profile.promptWindow()) {
        throw bad(String.format(java.util.Locale.ROOT, "illegal budget %s, must be in 256..%d (profile %s's prompt"
            + " window)", b, profile.promptWindow(), profile.name()));
      }
    }
    if (r.questions() == null || r.questions().isEmpty() || r.questions().size() > 200) {
      throw bad("give 1 to 200 questions, not " + (r.questions() == null ? 0 : r.questions().size()));
    }
    List<BudgetSweep.Question> questions = new ArrayList<>();
    for (int i = 0; i < r.questions().size(); i++) {
      BudgetRequest.QuestionView q = r.questions().get(i);
      if (q == null || q.question() == null || q.question().isBlank() || q.question().length() > 20_000) {
        throw bad("questions[" + i + "] needs a \"question\" of 1 to 20000 characters");
      }
      if (q.answer() == null || !q.answer().chars().anyMatch(Character::isLetterOrDigit)) {
        throw bad("questions[" + i + "] needs an \"answer\" with at least one word");
      }
      questions.add(new BudgetSweep.Question(q.question(), q.answer()));
    }
    double threshold = r.foundThreshold() == null ? NiahSettings.DEFAULT_FOUND_THRESHOLD : r.foundThreshold();
    if (!(threshold > 0 && threshold <= 1)) {
      throw bad("illegal foundThreshold " + r.foundThreshold() + ", must be in (0, 1]");
    }
    BudgetRequest settings = new BudgetRequest(r.collection(), profile.name(), budgets, r.questions(), threshold);
    return new BudgetPlan(settings, r.collection(), profile, budgets, questions, threshold);
  }

  RetrievalPlan retrieval(RetrievalRequest r, boolean checkRoots) {
    if (r == null || r.datasetPath() == null || r.datasetPath().isBlank()) {
      throw bad("send {\"datasetPath\": \"/server/folder/in/the/BEIR/layout\"}");
    }
    Path dataset = folder("datasetPath", r.datasetPath(), checkRoots);
    String split = r.split() == null ? "test" : r.split();
    if (!split.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw bad("illegal split '" + split + "': use letters, digits, '.', '_' or '-'");
    }
    for (String file : List.of("queries.jsonl", "qrels/" + split + ".tsv")) {
      if (!Files.isRegularFile(dataset.resolve(file))) {
        throw bad("datasetPath '" + r.datasetPath() + "' is not in the BEIR layout: " + file + " is missing");
      }
    }
    try (Stream<Path> files = Files.list(dataset)) {
      if (files.noneMatch(p -> p.getFileName().toString().matches("corpus.*\\.jsonl"))) {
        throw bad("datasetPath '" + r.datasetPath() + "' is not in the BEIR layout: no corpus.jsonl or corpus*.jsonl");
      }
    } catch (IOException e) {
      throw bad("datasetPath '" + r.datasetPath() + "' cannot be read: " + e.getMessage());
    }
    List<String> names = r.retrievers() == null || r.retrievers().isEmpty() ? DEFAULT_RETRIEVERS : r.retrievers();
    LinkedHashSet<ArchiveRetriever.Kind> kinds = new LinkedHashSet<>();
    for (String name : names) {
      try {
        kinds.add(ArchiveRetriever.Kind.parse(name));
      } catch (IllegalArgumentException e) {
        throw bad(e.getMessage());
      }
    }
    int k = r.k() == null ? 100 : ProblemException.requireRange("k", r.k(), 10, 1000);
    RetrievalRequest settings = new RetrievalRequest(dataset.toString(),
        kinds.stream().map(ArchiveRetriever.Kind::wireName).toList(), k, split);
    return new RetrievalPlan(settings, dataset, split, List.copyOf(kinds), k);
  }

  private Path folder(String field, String value, boolean checkRoots) {
    Path path;
    try {
      path = Path.of(value).toAbsolutePath().normalize();
    } catch (RuntimeException e) {
      throw bad("illegal " + field + " '" + value + "': " + e.getMessage());
    }
    Path real = path;
    if (Files.exists(path)) {
      try {
        real = path.toRealPath();
      } catch (IOException e) {
        throw bad(field + " '" + value + "' cannot be resolved: " + e.getMessage());
      }
    }
    if (checkRoots && !underAllowedRoot(real)) {
      throw new ProblemException(ProblemType.FORBIDDEN_PATH, "'" + value + "' is not under an allowed root"
          + " (rag.ingest.allowed-roots" + (allowedRoots.isEmpty() ? " is empty" : " = " + allowedRoots) + ")");
    }
    if (!Files.isDirectory(real)) {
      throw bad(field + " '" + value + "' does not exist or is not a folder");
    }
    return real;
  }

  private boolean underAllowedRoot(Path real) {
    for (Path root : allowedRoots) {
      try {
        Path rootReal = root.toAbsolutePath().normalize();
        rootReal = Files.exists(rootReal) ? rootReal.toRealPath() : rootReal;
        if (real.startsWith(rootReal)) {
          return true;
        }
      } catch (IOException e) {
        // an unreadable root allows nothing
      }
    }
    return false;
  }

  private ModelProfile profile(String name) {
    try {
      return profiles.get(name);
    } catch (ModelProfiles.UnknownProfileException e) {
      throw bad(e.getMessage());
    }
  }

  private static NiahMode mode(String mode) {
    try {
      return mode == null ? NiahMode.RETRIEVE : NiahMode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private List<Integer> lengths(List<Integer> requested) {
    if (requested == null) {
      List<Integer> defaults = DEFAULT_LENGTHS.stream().filter(l -> l <= limits.maxContextLength()).toList();
      return defaults.isEmpty() ? List.of(limits.maxContextLength()) : defaults;
    }
    if (requested.isEmpty()) {
      throw bad("contextLengths is empty: give at least one length, or leave it out for the default grid");
    }
    TreeSet<Integer> sorted = new TreeSet<>();
    for (int i = 0; i < requested.size(); i++) {
      Integer length = requested.get(i);
      if (length == null || length < EvalLimits.MIN_CONTEXT_LENGTH || length > limits.maxContextLength()) {
        throw bad("illegal contextLengths[" + i + "] " + length + ", must be in " + EvalLimits.MIN_CONTEXT_LENGTH
            + ".." + limits.maxContextLength() + " tokens (rag.eval.max-context-length)");
      }
      sorted.add(length);
    }
    return new ArrayList<>(sorted);
  }

  private static List<Double> depths(List<Double> requested) {
    if (requested == null) {
      return DEFAULT_DEPTHS;
    }
    if (requested.isEmpty()) {
      throw bad("depthPercents is empty: give at least one depth, or leave it out for the default grid");
    }
    TreeSet<Double> sorted = new TreeSet<>();
    for (int i = 0; i < requested.size(); i++) {
      Double depth = requested.get(i);
      if (depth == null || !(depth >= 0 && depth <= 100)) {
        throw bad("illegal depthPercents[" + i + "] " + depth + ", must be in 0..100");
      }
      sorted.add(depth);
    }
    return new ArrayList<>(sorted);
  }

  private static NeedleSet needles(String variant, NiahRequest r) {
    List<String> texts = r.needles();
    switch (variant) {
      case "multi-key" -> {
        if (texts != null || r.answers() != null || r.question() != null) {
          throw bad("variant multi-key generates its needles and question: leave out needles, answers and question");
        }
        int distractors = r.distractors() == null ? 3 : r.distractors();
        if (distractors < 0 || distractors > MAX_DISTRACTORS) {
          throw bad("illegal distractors " + distractors + ", must be in 0.." + MAX_DISTRACTORS);
        }
        return NeedleSet.multiKey(distractors, seed(r));
      }
      case "single", "multi" -> {
        if (r.distractors() != null || r.seed() != null) {
          throw bad("distractors and seed are for variant multi-key only");
        }
        if (texts == null) {
          if (r.answers() != null || r.question() != null) {
            throw bad("answers and question go with needles: give needles too, or none for the default");
          }
          return variant.equals("single") ? NeedleSet.defaultSingle() : NeedleSet.defaultMulti();
        }
        return custom(variant, texts, r.answers(), r.question());
      }
      default -> throw bad("illegal variant '" + variant + "', must be single, multi or multi-key");
    }
  }

  private static NeedleSet custom(String variant, List<String> texts, List<String> answers, String question) {
    if (texts.isEmpty() || texts.size() > MAX_NEEDLES || (variant.equals("single") && texts.size() != 1)) {
      throw bad("variant " + variant + " takes " + (variant.equals("single") ? "exactly one needle" : "1 to "
          + MAX_NEEDLES + " needles") + ", got " + texts.size());
    }
    if (answers != null && answers.size() != texts.size()) {
      throw bad("answers has " + answers.size() + " entries for " + texts.size() + " needles");
    }
    if (question == null || question.isBlank() || question.length() > MAX_NEEDLE_CHARS) {
      throw bad("needles need a question (1 to " + MAX_NEEDLE_CHARS + " characters)");
    }
    List<Needle> needles = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      String answer = answers == null ? text : answers.get(i);
      if (text == null || text.isBlank() || text.length() > MAX_NEEDLE_CHARS) {
        throw bad("illegal needles[" + i + "]: must be 1 to " + MAX_NEEDLE_CHARS + " characters");
      }
      if (answer == null || answer.isBlank() || !answer.codePoints().anyMatch(Character::isLetterOrDigit)) {
        throw bad("illegal answers[" + i + "]: must hold a word");
      }
      if (text.contains("<<<") || text.contains("\n")) {
        throw bad("illegal needles[" + i + "]: a needle is one line without '<<<'");
      }
      needles.add(new Needle(text, answer));
    }
    return variant.equals("single") ? NeedleSet.single(needles.get(0), question.strip())
        : NeedleSet.multi(needles, question.strip());
  }

  private static long seed(NiahRequest r) {
    return r.seed() == null ? 42 : r.seed();
  }

  private static ProblemException bad(String detail) {
    return ProblemException.badRequest(detail);
  }
}
