/** Calls fn now and then every `ms` until it returns true or the poller is stopped; errors go to onError. */
export function poll(fn, ms, onError) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    let done = false;
    try {
      done = await fn();
    } catch (e) {
      onError?.(e);
    }
    if (!stopped && !done) timer = setTimeout(tick, ms);
  };
  tick();
  return {stop() { stopped = true; clearTimeout(timer); }};
}
