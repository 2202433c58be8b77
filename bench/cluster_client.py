#!/usr/bin/python3
"""libzmq (pyzmq) clients for bench/cluster.sh.

  thr EP CLIENTS SECONDS WINDOW   CLIENTS DEALERs, each keeping WINDOW requests outstanding; after a
                                  1 s warm-up counts answers for SECONDS: "<answers/s> requests/s (worked by ...)"
  lat EP COUNT                    one REQ, COUNT round trips one at a time; the round trip split by
                                  who worked: "LAT <class> n=.. mean=..us p50=..us p99=..us", class is
                                  local (the gateway's own member), remote (another member) or echo
  failover EP                     lazy-pirate REQ (500 ms timeout, close, reopen, resend): prints
                                  "GATEWAY <port> <wall-clock ms>" whenever the answering gateway changes
"""
import sys, time, zmq

def thr(ep, clients, seconds, window):
    ctx = zmq.Context()
    socks = []
    poller = zmq.Poller()
    for _ in range(clients):
        s = ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(ep)
        socks.append(s)
        poller.register(s, zmq.POLLIN)
    payload = b"x" * 16
    for s in socks:
        for _ in range(window):
            s.send_multipart([b"", payload])
    start = time.time()
    warm = start + 1.0
    end = warm + seconds
    counted = 0
    nodes = {}
    while True:
        now = time.time()
        if now >= end:
            break
        for s, _ in poller.poll(200):
            while True:
                try:
                    r = s.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                s.send_multipart([b"", payload])
                if now >= warm:
                    counted += 1
                    if r[-2].startswith(b"node="):
                        n = r[-2][5:].decode()
                        nodes[n] = nodes.get(n, 0) + 1
    spread = " (worked by " + ", ".join("%s: %d" % kv for kv in sorted(nodes.items())) + ")" if nodes else ""
    print("%d requests/s%s" % (counted / seconds, spread), flush=True)
    ctx.destroy(0)

def lat(ep, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.REQ)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, 10000)
    s.connect(ep)
    for _ in range(200):  # warm-up
        s.send(b"x" * 16)
        s.recv_multipart()
    rtts = {}
    for _ in range(count):
        t = time.perf_counter_ns()
        s.send(b"x" * 16)
        r = s.recv_multipart()
        d = (time.perf_counter_ns() - t) / 1000.0
        if len(r) >= 3 and r[-2].startswith(b"node=") and r[-1].startswith(b"gateway="):
            cls = "local" if r[-2][5:] == r[-1][8:] else "remote"
        else:
            cls = "echo"
        rtts.setdefault(cls, []).append(d)
    for cls, v in sorted(rtts.items()):
        v.sort()
        print("LAT %s n=%d mean=%.0fus p50=%.0fus p99=%.0fus" % (cls, len(v), sum(v) / len(v), v[len(v) // 2],
              v[min(len(v) - 1, int(len(v) * 0.99))]), flush=True)
    ctx.destroy(0)

def failover(ep):
    ctx = zmq.Context()
    def fresh():
        s = ctx.socket(zmq.REQ)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(ep)
        return s
    s = fresh()
    last = None
    while True:
        s.send(b"ping")
        if s.poll(500, zmq.POLLIN):
            g = s.recv_multipart()[-1].decode()
            if g != last:
                print("GATEWAY %s %d" % (g[len("gateway="):], int(time.time() * 1000)), flush=True)
                last = g
            time.sleep(0.005)
        else:
            s.close()
            s = fresh()

if __name__ == "__main__":
    mode, ep = sys.argv[1], sys.argv[2]
    if mode == "thr":
        thr(ep, int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
    elif mode == "lat":
        lat(ep, int(sys.argv[3]))
    elif mode == "failover":
        failover(ep)
    else:
        sys.exit("unknown mode " + mode)
