package rag.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import rag.ingest.chunk.Packer.Pack;
import rag.storage.embed.TokenCounter;

/** What every chunker's packs must satisfy, whatever the units. */
final class PackRules {
  private PackRules() {}

  static void check(List<Pack> packs, ChunkingConfig config, TokenCounter counter, Packer.Renderer renderer) {
    for (int i = 0; i < packs.size(); i++) {
      Pack pack = packs.get(i);
      assertThat(pack.body()).as("pack %d has new text", i).isNotEmpty();
      assertThat(pack.text()).isEqualTo(renderer.render(pack.all())).isNotBlank();
      assertThat(pack.tokens()).isEqualTo(counter.count(pack.text())).isLessThanOrEqualTo(config.maxTokens());
      if (!pack.overlap().isEmpty()) {
        assertThat(i).isPositive();
        List<Unit> before = packs.get(i - 1).body();
        assertThat(pack.overlap().size()).as("overlap leaves the previous chunk's first unit").isLessThan(before.size());
        assertThat(before.subList(before.size() - pack.overlap().size(), before.size()))
            .as("overlap is the end of the previous chunk").isEqualTo(pack.overlap());
        assertThat(counter.count(renderer.render(pack.overlap()))).isLessThanOrEqualTo(config.overlapTokens());
        String repeated = renderer.render(pack.overlap()) + pack.overlap().get(pack.overlap().size() - 1).gapAfter();
        // the overlap is marked whenever the text starts with it (a renderer may trim a blank one away)
        assertThat(pack.overlapChars()).as("the overlap prefix")
            .isEqualTo(pack.text().startsWith(repeated) ? repeated.length() : 0);
        if (pack.overlapChars() > 0) {
          assertThat(pack.overlapTokens()).isEqualTo(Math.min(pack.tokens(), counter.count(repeated)));
        }
      } else {
        assertThat(pack.overlapChars()).isZero();
        assertThat(pack.overlapTokens()).isZero();
      }
    }
  }
}
