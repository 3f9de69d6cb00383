package rag.app.security;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, as {@link AccessFilter} established it before the resource method runs. */
@RequestScoped
public class CurrentCaller {
  private Caller caller;

  void set(Caller caller) {
    this.caller = caller;
  }

  /** The caller, or null when the access check did not get that far (the request was refused). */
  Caller established() {
    return caller;
  }

  /** The caller; fails when no access check ran for this request (a resource method without {@link Requires}). */
  public Caller get() {
    if (caller == null) {
      throw new IllegalStateException("no access check ran for this request");
    }
    return caller;
  }
}
