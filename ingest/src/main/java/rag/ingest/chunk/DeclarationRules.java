package rag.ingest.chunk;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rag.ingest.parse.CodeLanguage;

/**
 * Per-language patterns for the first line of a declaration, matched against a line with comments
 * and strings blanked out and leading whitespace and annotations removed. Groups: {@code name},
 * optionally {@code kind} (else the rule's kind), {@code owner} (Go receivers) and {@code type}
 * (a return type; without one a brace-language member is a constructor).
 */
final class DeclarationRules {
  /** Where a rule applies: at file (or namespace) level, directly inside a class-like body, or both. */
  enum Scope { TOP, MEMBER, ANY }

  record Rule(Pattern pattern, String kind, boolean container, Scope scope) {}

  /** A match: the kind and name, and whether members are searched inside its body. */
  record Match(String kind, String name, boolean container) {}

  static final Set<String> KEYWORDS = Set.of("if", "for", "while", "switch", "catch", "return", "new", "throw",
      "else", "case", "do", "try", "synchronized", "sizeof", "typedef", "using", "goto", "delete", "yield",
      "await", "function", "super", "this", "assert", "defined", "elif", "with", "foreach", "typeof");

  private static final String JAVA_MODIFIERS =
      "(?:(?:public|protected|private|static|final|abstract|sealed|non-sealed|strictfp|synchronized|native|default)\\s+)*";
  private static final String ID = "[A-Za-z_$][\\w$]*";
  private static final Pattern ANNOTATIONS = Pattern.compile("^(?:@[\\w.]+(?:\\([^()]*\\))?\\s*)+");

  private static final List<Rule> JAVA = List.of(
      rule(JAVA_MODIFIERS + "(?<kind>class|interface|enum|record|@interface)\\s+(?<name>" + ID + ")", "", true,
          Scope.ANY),
      rule(JAVA_MODIFIERS + "(?:<[^>]*>\\s*)?(?:(?<type>[\\w$.]+(?:<.*>)?(?:\\[\\])*)\\s+)?(?<name>" + ID
          + ")\\s*\\(", "method", false, Scope.MEMBER));

  private static final List<Rule> SCRIPT = List.of(
      rule("(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?(?<kind>class)\\s+(?<name>" + ID + ")",
          "", true, Scope.TOP),
      rule("(?:export\\s+)?(?:declare\\s+)?(?:const\\s+)?(?<kind>interface|enum|namespace|module|type)\\s+(?<name>"
          + ID + ")", "", false, Scope.TOP),
      rule("(?:export\\s+)?(?:default\\s+)?(?:async\\s+)?function\\s*\\*?\\s*(?<name>" + ID + ")", "function",
          false, Scope.TOP),
      rule("(?:export\\s+)?(?:const|let|var)\\s+(?<name>" + ID + ")\\s*(?::[^=]+)?=\\s*(?:async\\s+)?"
          + "(?:function\\b|\\([^)]*\\)\\s*(?::[^=]*)?=>|" + ID + "\\s*=>)", "function", false, Scope.TOP),
      rule("(?:(?:public|private|protected|static|async|readonly|abstract|override|get|set|declare)\\s+)*\\*?\\s*"
          + "(?<name>#?" + ID + ")\\s*(?:<[^>]*>)?\\s*\\(", "method", false, Scope.MEMBER));

  private static final List<Rule> GO = List.of(
      rule("func\\s*\\(\\s*(?:\\w+\\s+)?\\*?\\s*(?<owner>\\w+)(?:\\[[^\\]]*\\])?\\s*\\)\\s*(?<name>\\w+)", "method",
          false, Scope.TOP),
      rule("func\\s+(?<name>\\w+)", "function", false, Scope.TOP),
      rule("type\\s+(?<name>\\w+)(?:\\[[^\\]]*\\])?\\s+(?<kind>struct|interface)\\b", "", false, Scope.TOP),
      rule("type\\s+(?<name>\\w+)", "type", false, Scope.TOP));

  private static final List<Rule> C_FAMILY = List.of(
      rule("(?:template\\s*<.*>\\s*)?(?:typedef\\s+)?(?<kind>class|struct|union|enum\\s+class|enum|namespace)\\s+"
          + "(?:\\[\\[[^\\]]*\\]\\]\\s*)?(?<name>[A-Za-z_]\\w*)\\s*(?:final\\s*)?(?::[^;{(]*)?\\{?\\s*$", "", true,
          Scope.ANY),
      rule("(?!#)(?:template\\s*<.*>\\s*)?(?<type>[\\w:<>,*&~\\s]*?[\\s*&])?(?<name>~?[A-Za-z_]\\w*(?:::~?[A-Za-z_]\\w*)*)"
          + "\\s*\\(", "function", false, Scope.ANY));

  private static final List<Rule> PYTHON = List.of(
      rule("class\\s+(?<name>\\w+)", "class", true, Scope.ANY),
      rule("(?:async\\s+)?def\\s+(?<name>\\w+)", "function", true, Scope.ANY));

  private DeclarationRules() {}

  static List<Rule> of(CodeLanguage language) {
    return switch (language) {
      case JAVA -> JAVA;
      case JAVASCRIPT, TYPESCRIPT -> SCRIPT;
      case GO -> GO;
      case C, CPP -> C_FAMILY;
      case PYTHON -> PYTHON;
      case OTHER -> List.of();
    };
  }

  /**
   * The declaration starting on this (blanked, stripped) line, or null. {@code owner}: the name of
   * the class-like body the line is directly in, null at file or namespace level.
   */
  static Match match(CodeLanguage language, String line, String owner) {
    boolean inClass = owner != null;
    String code = ANNOTATIONS.matcher(line).replaceFirst("");
    for (Rule rule : of(language)) {
      if (rule.scope() == Scope.MEMBER && !inClass || rule.scope() == Scope.TOP && inClass && !isCFamily(language)) {
        continue;
      }
      Matcher m = rule.pattern().matcher(code);
      if (!m.lookingAt()) {
        continue;
      }
      String name = m.group("name");
      String kind = group(m, "kind") != null ? m.group("kind") : rule.kind();
      String type = group(m, "type");
      if (KEYWORDS.contains(name) || type != null && KEYWORDS.contains(firstWord(type))) {
        continue;
      }
      if (!rule.container() && (kind.equals("method") || kind.equals("function"))) {
        kind = kindOfFunction(language, kind, name, type, owner);
        if (kind == null) {
          continue;
        }
      }
      String receiver = group(m, "owner");
      return new Match(normalise(kind), receiver == null ? name : receiver + "." + name, rule.container());
    }
    return null;
  }

  private static String kindOfFunction(CodeLanguage language, String kind, String name, String type, String owner) {
    boolean constructor = owner != null && (name.equals(owner) || name.equals("~" + owner));
    if (language == CodeLanguage.JAVA) {
      return type != null ? "method" : constructor ? "constructor" : null;
    }
    if (isCFamily(language)) {
      boolean typed = type != null && !type.isBlank();
      if (name.contains("::")) {
        return "method";
      }
      if (owner != null) {
        return typed ? "method" : !constructor ? null : name.startsWith("~") ? "destructor" : "constructor";
      }
      return typed ? "function" : null; // a call like foo(x) at file level is no declaration
    }
    if (language == CodeLanguage.JAVASCRIPT || language == CodeLanguage.TYPESCRIPT) {
      return kind.equals("method") && name.equals("constructor") ? "constructor" : kind;
    }
    return kind;
  }

  private static boolean isCFamily(CodeLanguage language) {
    return language == CodeLanguage.C || language == CodeLanguage.CPP;
  }

  private static String normalise(String kind) {
    return kind.equals("@interface") ? "annotation" : kind.replaceAll("\\s+", " ");
  }

  private static String group(Matcher m, String name) {
    try {
      return m.group(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String firstWord(String type) {
    String[] words = type.strip().split("[\\s*&<]+");
    return words.length == 0 ? "" : words[0];
  }

  private static Rule rule(String regex, String kind, boolean container, Scope scope) {
    return new Rule(Pattern.compile(regex), kind, container, scope);
  }
}
