package rag.app.security;

import jakarta.enterprise.context.RequestScoped;

/**
 * What a resource method adds to its request's audit entry: the collection, what it acted on, what it cited. Read
 * through methods only: callers hold a client proxy, whose own fields are never set.
 */
@RequestScoped
public class AuditContext {
  private String collection;
  private String target;
  private String detail;
  private boolean recordedByResource;

  String collection() {
    return collection;
  }

  String target() {
    return target;
  }

  String detail() {
    return detail;
  }

  boolean isRecordedByResource() {
    return recordedByResource;
  }

  public AuditContext collection(String name) {
    this.collection = name;
    return this;
  }

  public AuditContext target(String what) {
    this.target = what;
    return this;
  }

  public AuditContext detail(String text) {
    this.detail = text;
    return this;
  }

  /** The resource writes its entry itself, later (a streamed answer, whose citations come at its end). */
  public void recordedByResource() {
    this.recordedByResource = true;
  }
}
