package rag.storage.embed;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/** BPE token counts with JTokkit. The registry is built once; the encodings are thread-safe. */
public final class JTokkitTokenCounter implements TokenCounter {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private final Encoding encoding;

  public JTokkitTokenCounter(EncodingType type) {
    this.encoding = REGISTRY.getEncoding(type);
  }

  public static JTokkitTokenCounter cl100k() {
    return new JTokkitTokenCounter(EncodingType.CL100K_BASE);
  }

  @Override
  public int count(String text) {
    return encoding.countTokensOrdinary(text);
  }

  @Override
  public String name() {
    return encoding.getName();
  }
}
