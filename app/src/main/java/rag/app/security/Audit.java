package rag.app.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The resource method's requests go to the audit log as this action, with their outcome (see {@link AuditLog}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audit {
  /** The action's name in the log, e.g. {@code upload}. */
  String value();
}
