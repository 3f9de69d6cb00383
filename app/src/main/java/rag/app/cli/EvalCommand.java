package rag.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import rag.app.api.ProblemException;
import rag.app.eval.EvalPlan;
import rag.app.eval.EvalRuns;
import rag.app.eval.EvalViews.RunState;
import rag.app.eval.NiahRequest;
import rag.app.eval.QaRequest;
import rag.app.eval.RetrievalRequest;

/**
 * {@code eval-niah [options]}, {@code eval-retrieval --dataset PATH [options]} and {@code eval-qa --collection NAME
 * (--set NAME | --questions FILE)}: runs an evaluation in this
 * process with the service's stack, shows its progress, and leaves the same files as the API under the reports
 * directory ({@code result.json}, {@code report.html}; settings, state and result are in the catalog). Exit code 0 when
 * the run succeeded, 1 when it failed, 2 for a usage error. Server paths are not restricted to the allowed roots:
 * whoever runs the command can read them anyway.
 */
public class EvalCommand implements QuarkusApplication {
  static final String NIAH_USAGE = "usage: eval-niah [--haystack FOLDER | --collection NAME] [--profile NAME]"
      + " [--mode retrieve|stuff|end-to-end] [--lengths 1000,8000,...] [--depths 0,50,100] [--variant"
      + " single|multi|multi-key] [--needle TEXT]... [--question TEXT] [--distractors N] [--seed N] [--judge PROFILE]";
  static final String RETRIEVAL_USAGE = "usage: eval-retrieval --dataset FOLDER [--retrievers bm25,dense,hybrid]"
      + " [--k 100] [--split test]";
  static final String QA_USAGE = "usage: eval-qa --collection NAME (--set NAME | --questions FILE.jsonl)"
      + " [--retrievers bm25,dense,hybrid] [--k 10] [--profile NAME] [--budgets 4096,8192,...] [--end-to-end true [--judge PROFILE]]";
  private static final int BAR_WIDTH = 30;

  @Inject
  EvalRuns runs;

  @Override
  public int run(String... args) {
    boolean niah = args[0].equals("eval-niah");
    boolean qa = args[0].equals("eval-qa");
    EvalPlan plan;
    try {
      Map<String, List<String>> options = options(Arrays.copyOfRange(args, 1, args.length));
      plan = niah ? runs.plan(niahRequest(options)) : qa ? runs.plan(qaRequest(options))
          : runs.plan(retrievalRequest(options));
    } catch (IllegalArgumentException | ProblemException e) {
      System.err.println(args[0] + ": " + e.getMessage());
      System.err.println(niah ? NIAH_USAGE : qa ? QA_USAGE : RETRIEVAL_USAGE);
      return 2;
    }
    PrintStream out = System.out;
    out.printf("%s: results under %s%n", args[0], runs.reportsDir());
    String unit = niah ? "cells" : qa ? "questions x retrievers" : "queries";
    RunState state = runs.runHere(plan, (done, total) -> {
      out.print("\r" + bar(done, total) + " " + done + "/" + total + " " + unit);
      out.flush();
    });
    out.println();
    if (state.state().equals("succeeded")) {
      out.println("run " + state.runId() + " succeeded: " + state.summary());
      out.println("result: " + runs.reportsDir().resolve(state.runId()).resolve("result.json"));
      out.println("report: " + runs.reportsDir().resolve(state.runId()).resolve("report.html"));
      return 0;
    }
    System.err.println("run " + state.runId() + " failed: " + state.error());
    return 1;
  }

  static String bar(int done, int total) {
    int filled = total == 0 ? 0 : (int) ((long) BAR_WIDTH * done / total);
    return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
  }

  /** {@code --name value} pairs; a name may repeat (--needle). */
  static Map<String, List<String>> options(String[] args) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!name.startsWith("--") || name.length() < 3) {
        throw new IllegalArgumentException("unexpected argument '" + name + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + name + " needs a value");
      }
      options.computeIfAbsent(name.substring(2), k -> new ArrayList<>()).add(args[++i]);
    }
    return options;
  }

  static NiahRequest niahRequest(Map<String, List<String>> o) {
    Map<String, List<String>> left = new LinkedHashMap<>(o);
    NiahRequest request = new NiahRequest(one(left, "haystack"), one(left, "collection"), one(left, "profile"),
        one(left, "mode"), ints(one(left, "lengths")), doubles(one(left, "depths")), left.remove("needle"),
        left.remove("answer"), one(left, "question"), one(left, "variant"), integer(one(left, "distractors")),
        seed(one(left, "seed")), null, one(left, "judge"));
    requireNoneLeft(left);
    return request;
  }

  static RetrievalRequest retrievalRequest(Map<String, List<String>> o) {
    Map<String, List<String>> left = new LinkedHashMap<>(o);
    String retrievers = one(left, "retrievers");
    RetrievalRequest request = new RetrievalRequest(one(left, "dataset"),
        retrievers == null ? null : List.of(retrievers.split(",")), integer(one(left, "k")), one(left, "split"));
    requireNoneLeft(left);
    if (request.datasetPath() == null) {
      throw new IllegalArgumentException("--dataset is required");
    }
    return request;
  }

  static QaRequest qaRequest(Map<String, List<String>> o) {
    Map<String, List<String>> left = new LinkedHashMap<>(o);
    String retrievers = one(left, "retrievers");
    String file = one(left, "questions");
    List<JsonNode> questions = null;
    if (file != null) {
      questions = new ArrayList<>();
      try {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(Path.of(file))) {
          if (!line.isBlank()) {
            questions.add(json.readTree(line));
          }
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --questions " + file + ": " + e.getMessage());
      }
    }
    String budgets = one(left, "budgets");
    QaRequest request = new QaRequest(one(left, "collection"), one(left, "set"), questions,
        retrievers == null ? null : List.of(retrievers.split(",")), integer(one(left, "k")), one(left, "profile"),
        budgets == null ? null : Arrays.stream(budgets.split(",")).map(b -> parse(b, "--budgets", Long::valueOf))
            .toList(), endToEnd(one(left, "end-to-end")), one(left, "judge"));
    requireNoneLeft(left);
    if (request.collection() == null) {
      throw new IllegalArgumentException("--collection is required");
    }
    return request;
  }

  private static Boolean endToEnd(String value) {
    if (value == null) {
      return null;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException("--end-to-end takes true or false, not '" + value + "'");
    }
    return Boolean.valueOf(value);
  }

  private static void requireNoneLeft(Map<String, List<String>> left) {
    if (!left.isEmpty()) {
      throw new IllegalArgumentException("unknown option --" + left.keySet().iterator().next());
    }
  }

  private static String one(Map<String, List<String>> options, String name) {
    List<String> values = options.remove(name);
    if (values == null) {
      return null;
    }
    if (values.size() > 1) {
      throw new IllegalArgumentException("option --" + name + " given " + values.size() + " times");
    }
    return values.get(0);
  }

  private static List<Integer> ints(String csv) {
    return csv == null ? null : Arrays.stream(csv.split(",")).map(s -> parse(s, "--lengths", Integer::valueOf))
        .toList();
  }

  private static List<Double> doubles(String csv) {
    return csv == null ? null : Arrays.stream(csv.split(",")).map(s -> parse(s, "--depths", Double::valueOf))
        .toList();
  }

  private static Integer integer(String value) {
    return value == null ? null : parse(value, "a count", Integer::valueOf);
  }

  private static Long seed(String value) {
    return value == null ? null : parse(value, "--seed", Long::valueOf);
  }

  private static <T> T parse(String value, String what, Function<String, T> parser) {
    try {
      return parser.apply(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a number (" + what + ")");
    }
  }
}
