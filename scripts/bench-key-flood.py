#!/usr/bin/env python3
"""Per-key isolation under a flood, on the packaged service.

Starts the packaged jar pinned to CPU 0 with a bootstrap key and small per-key limits, uploads a document, then, in
each round, measures a polite key's median search latency alone and while another key floods from a separate process
pinned to CPU 1 (the polite client runs there too, at 4 requests a second), with 4 and with 64 flooding connections.
Prints each round, the median ratio per flood size, and exits 1 when a median ratio is over 2 (issue 12's target).
Usage: scripts/bench-key-flood.py [rounds]  (default 3; needs app/target/quarkus-app/quarkus-run.jar and two CPUs;
about 40 s a round)
"""
import json, os, statistics, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor

JAR = os.path.join(os.path.dirname(__file__), "..", "app", "target", "quarkus-app", "quarkus-run.jar")
ADMIN = "bench-flood-bootstrap-admin-key-0123456789abcdef"
PORT = 18123
BASE = f"http://127.0.0.1:{PORT}"


def call(method, path, key, body=None, content_type="application/json"):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + key, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def upload(key, collection, name, text):
    boundary = "----bench"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/plain\r\n\r\n{text}\r\n--{boundary}--\r\n").encode()
    return call("POST", f"/api/collections/{collection}/documents", key, body,
                f"multipart/form-data; boundary={boundary}")


def median_ms(key, n=25):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        status, _ = call("POST", "/api/collections/bench/search", key, {"query": "harbour tides"})
        times.append((time.perf_counter() - t) * 1000)
        assert status == 200, status
        time.sleep(0.25)
    return statistics.median(times)


def flood(key, seconds, threads):
    """Runs in its own process (pinned to CPU 1): threads sending as fast as they can, each on its own connection."""
    stop = time.time() + seconds
    counts = {"shed": 0, "served": 0}
    lock = threading.Lock()

    def spin():
        while time.time() < stop:
            status, _ = call("POST", "/api/collections/bench/search", key, {"query": "harbour tides"})
            with lock:
                counts["shed" if status == 429 else "served"] += 1
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(threads):
            pool.submit(spin)
    print(json.dumps(counts))


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--flood":
        flood(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
        return
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    data = tempfile.mkdtemp(prefix="rag-flood-")
    service = subprocess.Popen(["taskset", "-c", "0", "java", "-Xmx1g", f"-Dquarkus.http.port={PORT}",
                                f"-Drag.data-dir={data}", f"-Drag.security.bootstrap-admin-key={ADMIN}",
                                "-Drag.security.limits.requests-per-second=5", "-Drag.security.limits.burst=10",
                                "-Drag.security.limits.concurrent-requests=1", "-jar", JAR],
                               stdout=open(os.path.join(data, "service.log"), "w"), stderr=subprocess.STDOUT)
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(BASE + "/q/health/ready", timeout=2).status == 200:
                    break
            except Exception:
                time.sleep(0.5)
        os.sched_setaffinity(0, {1})
        assert upload(ADMIN, "bench", "tides.txt", "The harbour tides are logged at dawn. " * 40)[0] == 202
        while json.loads(call("GET", "/api/collections/bench", ADMIN)[1] or b"{}").get("documents", 0) < 1:
            time.sleep(0.5)
        keys = [json.loads(call("POST", "/api/admin/keys", ADMIN, {"name": n, "grants": {"*": "read"}})[1])["key"]
                for n in ("polite", "flood")]
        median_ms(keys[0], 8)  # warm-up
        ratios = {4: [], 64: []}
        for r in range(rounds):
            for threads in ratios:
                alone = median_ms(keys[0])
                flooder = subprocess.Popen(["taskset", "-c", "1", sys.executable, __file__, "--flood", keys[1], "12",
                                            str(threads)], stdout=subprocess.PIPE, text=True)
                time.sleep(1)
                during = median_ms(keys[0])
                counts = flooder.communicate()[0].strip()
                ratios[threads].append(during / alone)
                print(f"round {r + 1}, {threads} flooding connections: polite median {alone:.1f} ms alone, "
                      f"{during:.1f} ms during the flood ({during / alone:.2f}x); flood {counts}", flush=True)
        worst = 0
        for threads, values in ratios.items():
            median = statistics.median(values)
            worst = max(worst, median)
            print(f"{threads} flooding connections: median ratio {median:.2f}x over {len(values)} rounds")
        if worst > 2:
            print("FAILED: the polite key's latency is over 2x its solo latency during a flood")
            sys.exit(1)
    finally:
        service.terminate()
        service.wait(30)


if __name__ == "__main__":
    main()
