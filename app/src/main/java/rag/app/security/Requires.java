package rag.app.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import rag.storage.keys.AccessLevel;
import rag.storage.keys.KeyScope;

/**
 * What a resource method needs from the caller's key, checked by {@link AccessFilter} before the method runs. Every
 * resource method carries one (a test keeps it so); a method without it is refused.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {
  /** What the request is about, found from its path. */
  enum On {
    /** Nothing in particular: any valid key; the method shows only what the key may read. */
    NOTHING,
    /** The collection of the {@code {collection}} path parameter. */
    COLLECTION,
    /** The collection of the document of the {@code {id}} path parameter. */
    DOCUMENT,
    /** The collection of the ingest job of the {@code {jobId}} path parameter. */
    JOB,
    /** The collection of the conversation of the {@code {id}} path parameter. */
    CONVERSATION,
    /** Every collection: the level must be granted on {@code *}. */
    EVERY_COLLECTION
  }

  On on();

  /** The level needed on what {@link #on} names (ignored for {@link On#NOTHING}). */
  AccessLevel level() default AccessLevel.READ;

  /** Global scopes needed besides. */
  KeyScope[] scopes() default {};
}
