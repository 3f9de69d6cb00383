package rag.eval.report;

import static rag.eval.report.Html.escape;

import rag.eval.qa.ExpectedPassage;
import rag.eval.qa.QaQuestion;
import rag.eval.qa.QuestionDrafter;

/** A drafted question set: each question with its answer and its expected passage, then the chunks skipped. */
final class DraftSection {
  private DraftSection() {}

  static void render(StringBuilder html, QuestionDrafter.Drafted d) {
    html.append("<section class=\"draft\">\n<h2>Drafted questions</h2>\n<p><span data-drafted=\"")
        .append(d.questions().size()).append("\">").append(d.questions().size()).append(" questions</span> drafted"
            + " from ").append(d.documents()).append(" documents, each marked <code>drafted</code> until a person"
            + " has checked it.</p>\n<table class=\"drafted\">\n<thead><tr><th>Id</th><th>Question</th><th>Answer</th>"
            + "<th>Expected passage</th></tr></thead>\n<tbody>\n");
    for (QaQuestion q : d.questions()) {
      html.append("<tr data-question=\"").append(escape(q.id())).append("\"><td>").append(escape(q.id()))
          .append("</td><td style=\"text-align:left\">").append(escape(q.question()))
          .append("</td><td style=\"text-align:left\">").append(escape(q.answer() == null ? "" : q.answer()))
          .append("</td><td style=\"text-align:left\">").append(escape(where(q.expected().get(0))))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
    if (!d.skipped().isEmpty()) {
      html.append("<details><summary>").append(d.skipped().size()).append(" chunks skipped</summary>\n<ul>\n");
      d.skipped().forEach(s -> html.append("<li>").append(escape(s)).append("</li>\n"));
      html.append("</ul>\n</details>\n");
    }
    html.append("</section>\n");
  }

  private static String where(ExpectedPassage e) {
    StringBuilder s = new StringBuilder(e.source());
    if (e.pageFrom() != null) {
      s.append(", pages ").append(e.pageFrom()).append('-').append(e.pageTo());
    }
    if (e.timeFrom() != null) {
      s.append(", ").append(e.timeFrom()).append('-').append(e.timeTo()).append(" ms");
    }
    if (e.lineFrom() != null) {
      s.append(", lines ").append(e.lineFrom()).append('-').append(e.lineTo());
    }
    if (e.text() != null) {
      s.append(": \"").append(e.text()).append('"');
    }
    return s.toString();
  }
}
