package rag.eval.niah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeedleSetTest {
  @Test
  void defaultsAreTheOriginalHarnessNeedlesAndQuestions() {
    NeedleSet single = NeedleSet.defaultSingle();
    assertThat(single.variant()).isEqualTo(NeedleVariant.SINGLE);
    assertThat(single.targets().get(0).text()).isEqualTo(
        "The best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.");
    assertThat(single.question()).isEqualTo("What is the best thing to do in San Francisco?");
    NeedleSet multi = NeedleSet.defaultMulti();
    assertThat(multi.targets()).extracting(Needle::answer).containsExactly("Figs", "Prosciutto", "Goat cheese");
    assertThat(multi.depths(10)).containsExactly(10.0, 40.0, 70.0);
  }

  @Test
  void multiKeyIsReproducibleWithDistinctKeysAndValues() {
    NeedleSet set = NeedleSet.multiKey(9, 7);
    assertThat(NeedleSet.multiKey(9, 7)).isEqualTo(set);
    assertThat(set.variant()).isEqualTo(NeedleVariant.MULTI_KEY);
    assertThat(set.targets()).hasSize(1);
    assertThat(set.distractors()).hasSize(9);
    List<Needle> all = set.needles();
    assertThat(new HashSet<>(all.stream().map(Needle::answer).toList())).hasSize(10);
    assertThat(all).allSatisfy(n -> assertThat(n.text())
        .matches("The special magic number for [a-z]+-[a-z]+ is \\d{7}\\.").contains(" " + n.answer() + "."));
    String key = all.get(0).text().split(" ")[5];
    assertThat(set.question()).isEqualTo("What is the special magic number for " + key + "?");
    assertThat(all.subList(1, 10)).noneSatisfy(n -> assertThat(n.text()).contains(" " + key + " "));
  }

  @Test
  void variantsCheckTheirNeedleCounts() {
    Needle a = Needle.of("A.");
    assertThatThrownBy(() -> new NeedleSet(NeedleVariant.SINGLE, "q", List.of(a, a), List.of()))
        .hasMessageContaining("SINGLE takes exactly one target needle, got 2");
    assertThatThrownBy(() -> new NeedleSet(NeedleVariant.MULTI, "q", List.of(a), List.of(a)))
        .hasMessageContaining("only MULTI_KEY takes distractors");
    assertThatThrownBy(() -> NeedleSet.multi(List.of(), "q")).hasMessageContaining("at least one target");
    assertThatThrownBy(() -> Needle.of("  ")).hasMessageContaining("non-blank");
  }
}
