package io.pekkozmq.actors;

import static io.pekkozmq.actors.ReqRepInteropTest.body;
import static io.pekkozmq.actors.ReqRepInteropTest.request;
import static io.pekkozmq.actors.ReqRepInteropTest.texts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.ZMQ;

/**
 * The request-reply family against JeroMQ 0.6.0 (ZMTP 3.0) in the same JVM over tcp (JeroMQ's ipc
 * is not Unix domain sockets): the scenarios of {@link ReqRepInteropTest}, our side binding and
 * connecting. Each JeroMQ socket is used by one thread at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReqRepJeromqInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int COUNT = 300;
  private static final int PEERS = 3;
  private static final String ANY = "tcp://127.0.0.1:*";

  private ZContext ctx;
  private org.zeromq.ZContext jeromq;

  @BeforeAll
  void start() {
    ctx = new ZContext();
    jeromq = new org.zeromq.ZContext();
  }

  @AfterAll
  void stop() {
    ctx.close();
    jeromq.close();
  }

  private ZMQ.Socket open(org.zeromq.SocketType type) {
    ZMQ.Socket s = jeromq.createSocket(type);
    s.setLinger(10_000);
    s.setReceiveTimeOut((int) WAIT.toMillis());
    s.setSendTimeOut((int) WAIT.toMillis());
    return s;
  }

  /** A JeroMQ socket placed opposite {@code ours}: connected to them, or bound for them to connect. */
  private ZMQ.Socket place(boolean weBind, List<ZSocket> ours, Supplier<ZMQ.Socket> open) throws Exception {
    if (weBind) {
      List<String> eps = new ArrayList<>();
      for (ZSocket s : ours) eps.add(s.bind(ANY));
      return JeromqConnect.connect(ctx, jeromq, ours, eps, open);
    }
    ZMQ.Socket peer = open.get();
    String ep = "tcp://127.0.0.1:" + peer.bindToRandomPort("tcp://127.0.0.1");
    for (ZSocket s : ours) s.connect(ep);
    return peer;
  }

  private static String await(CompletableFuture<String> theirSide) throws Exception {
    return theirSide.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String mismatch(List<byte[]> got, List<byte[]> want, String what) {
    if (got == null) return what + " timed out";
    if (got.size() != want.size()) return what + ": " + got.size() + " frames, expected " + want.size();
    for (int k = 0; k < want.size(); k++) {
      if (!Arrays.equals(got.get(k), want.get(k))) return what + ": frame " + k + " differs";
    }
    return null;
  }

  @ParameterizedTest(name = "we-bind={0}")
  @ValueSource(booleans = {true, false})
  void reqGetsEachReplyFromJeromqRep(boolean weBind) throws Exception {
    try (ZSocket req = ctx.socket(SocketType.REQ)) {
      ZMQ.Socket rep = place(weBind, List.of(req), () -> open(org.zeromq.SocketType.REP));
      try {
        CompletableFuture<String> theirs = CompletableFuture.supplyAsync(() -> {
          for (int i = 0; i < COUNT; i++) {
            List<byte[]> m = JeromqPeers.recv(rep);
            String bad = mismatch(m, List.of(b(Integer.toString(i)), body(i)), "request " + i);
            if (bad != null) return bad;
            m.add(b("rep"));
            if (!JeromqPeers.send(rep, m)) return "reply " + i + " timed out";
          }
          return "OK";
        });
        for (int i = 0; i < COUNT; i++) {
          assertTrue(req.send(request(i), WAIT));
          Msg reply = req.recv(WAIT);
          assertNotNull(reply, "reply " + i);
          assertEquals(3, reply.size());
          assertEquals(Integer.toString(i), reply.frame(0).text());
          assertArrayEquals(body(i), reply.frame(1).toByteArray());
          assertEquals("rep", reply.frame(2).text());
        }
        assertEquals("OK", await(theirs));
      } finally {
        jeromq.destroySocket(rep);
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0}")
  @ValueSource(booleans = {true, false})
  void repAnswersJeromqReq(boolean weBind) throws Exception {
    try (ZSocket rep = ctx.socket(SocketType.REP)) {
      rep.setOption(ZmqOption.LINGER, 10_000);
      ZMQ.Socket req = place(weBind, List.of(rep), () -> open(org.zeromq.SocketType.REQ));
      try {
        CompletableFuture<String> theirs = CompletableFuture.supplyAsync(() -> {
          for (int i = 0; i < COUNT; i++) {
            if (!JeromqPeers.send(req, List.of(b(Integer.toString(i)), body(i)))) return "request " + i + " timed out";
            String bad = mismatch(JeromqPeers.recv(req), List.of(b(Integer.toString(i)), body(i), b("rep")), "reply " + i);
            if (bad != null) return bad;
          }
          return "OK";
        });
        for (int i = 0; i < COUNT; i++) {
          Msg m = rep.recv(WAIT);
          assertNotNull(m, "request " + i);
          assertEquals(2, m.size(), "the envelope is hidden");
          rep.send(Msg.of(m.frame(0), m.frame(1), Frame.of("rep")));
        }
        assertEquals("OK", await(theirs));
      } finally {
        jeromq.destroySocket(req);
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0}")
  @ValueSource(booleans = {true, false})
  void routerRepliesToEachOfThreeJeromqDealers(boolean weBind) throws Exception {
    try (ZSocket router = ctx.socket(SocketType.ROUTER)) {
      router.setOption(ZmqOption.LINGER, 10_000);
      List<ZMQ.Socket> dealers = new ArrayList<>();
      try {
        if (weBind) {
          String ep = router.bind(ANY);
          for (int k = 0; k < PEERS; k++) {
            dealers.add(JeromqConnect.connect(ctx, jeromq, List.of(router), List.of(ep), () -> open(org.zeromq.SocketType.DEALER)));
          }
        } else {
          for (int k = 0; k < PEERS; k++) {
            ZMQ.Socket d = open(org.zeromq.SocketType.DEALER);
            router.connect("tcp://127.0.0.1:" + d.bindToRandomPort("tcp://127.0.0.1"));
            dealers.add(d);
          }
        }
        List<CompletableFuture<String>> theirs = new ArrayList<>();
        for (int k = 0; k < PEERS; k++) {
          ZMQ.Socket d = dealers.get(k);
          byte[] name = b("d" + k);
          theirs.add(CompletableFuture.supplyAsync(() -> {
            for (int i = 0; i < COUNT; i++) {
              if (!JeromqPeers.send(d, List.of(name, b(Integer.toString(i)), body(i)))) return "send " + i + " timed out";
            }
            for (int i = 0; i < COUNT; i++) {
              String bad = mismatch(JeromqPeers.recv(d), List.of(name, b(Integer.toString(i)), body(i), b("back")),
                  "reply " + i + " to " + new String(name, StandardCharsets.UTF_8));
              if (bad != null) return bad;
            }
            return "OK";
          }));
        }
        Map<String, String> idOfDealer = new HashMap<>();
        for (int j = 0; j < PEERS * COUNT; j++) {
          Msg m = router.recv(WAIT);
          assertNotNull(m, "message " + j);
          byte[] id = m.frame(0).toByteArray();
          assertEquals(5, id.length, "a generated id is 5 bytes");
          assertEquals(0, id[0]);
          String known = idOfDealer.putIfAbsent(m.frame(1).text(), Arrays.toString(id));
          if (known != null) assertEquals(known, Arrays.toString(id), "one id per dealer");
          router.send(Msg.of(m.frame(0), m.frame(1), m.frame(2), m.frame(3), Frame.of("back")));
        }
        assertEquals(PEERS, new HashSet<>(idOfDealer.values()).size(), "each dealer has its own id");
        for (CompletableFuture<String> f : theirs) assertEquals("OK", await(f));
      } finally {
        dealers.forEach(jeromq::destroySocket);
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0}")
  @ValueSource(booleans = {true, false})
  void jeromqRouterRepliesToEachOfOurThreeDealers(boolean weBind) throws Exception {
    List<ZSocket> dealers = new ArrayList<>();
    ZMQ.Socket router = null;
    try {
      for (int k = 0; k < PEERS; k++) {
        ZSocket d = ctx.socket(SocketType.DEALER);
        d.setOption(ZmqOption.LINGER, 10_000);
        dealers.add(d);
      }
      router = place(weBind, dealers, () -> open(org.zeromq.SocketType.ROUTER));
      ZMQ.Socket r = router;
      CompletableFuture<String> theirs = CompletableFuture.supplyAsync(() -> {
        Map<String, Set<String>> ids = new HashMap<>();
        for (int j = 0; j < PEERS * COUNT; j++) {
          List<byte[]> m = JeromqPeers.recv(r);
          if (m == null) return "timed out after " + j;
          ids.computeIfAbsent(new String(m.get(1), StandardCharsets.UTF_8), x -> new HashSet<>()).add(Arrays.toString(m.get(0)));
          m.add(b("back"));
          if (!JeromqPeers.send(r, m)) return "reply " + j + " timed out";
        }
        return ids.size() == PEERS && ids.values().stream().allMatch(s -> s.size() == 1) ? "OK" : "ids " + ids;
      });
      for (int i = 0; i < COUNT; i++) {
        for (int k = 0; k < PEERS; k++) {
          dealers.get(k).send(Msg.of(Frame.of("d" + k), Frame.of(Integer.toString(i)), Frame.wrap(body(i))));
        }
      }
      for (int k = 0; k < PEERS; k++) {
        for (int i = 0; i < COUNT; i++) {
          Msg m = dealers.get(k).recv(WAIT);
          assertNotNull(m, "reply " + i + " to dealer " + k);
          assertEquals(List.of("d" + k, Integer.toString(i)), texts(m).subList(0, 2), "a reply reaches its sender only");
          assertArrayEquals(body(i), m.frame(2).toByteArray());
        }
      }
      assertEquals("OK", await(theirs));
    } finally {
      dealers.forEach(ZSocket::close);
      if (router != null) jeromq.destroySocket(router);
    }
  }

  @ParameterizedTest(name = "we-bind={0}")
  @ValueSource(booleans = {true, false})
  void routerToRouterWithExplicitRoutingIds(boolean weBind) throws Exception {
    try (ZSocket router = ctx.socket(SocketType.ROUTER)) {
      router.setOption(ZmqOption.LINGER, 10_000);
      router.setOption(ZmqOption.ROUTING_ID, b(weBind ? "our-server" : "our-client"));
      if (!weBind) {
        router.setOption(ZmqOption.ROUTER_MANDATORY, true);
        router.setOption(ZmqOption.CONNECT_ROUTING_ID, b("server-alias"));
      }
      ZMQ.Socket peer = place(weBind, List.of(router), () -> {
        ZMQ.Socket s = open(org.zeromq.SocketType.ROUTER);
        s.setIdentity(b(weBind ? "jeromq-client" : "jeromq-server"));
        if (weBind) {
          s.setRouterMandatory(true);
          s.setConnectRid(b("server-alias"));
        }
        return s;
      });
      try {
        CompletableFuture<String> theirs = CompletableFuture.supplyAsync(() -> {
          for (int i = 0; i < COUNT; i++) {
            byte[] seq = b(Integer.toString(i));
            if (weBind) {
              if (!JeromqPeers.send(peer, List.of(b("server-alias"), b("hello"), seq))) return "request " + i + " failed";
              String bad = mismatch(JeromqPeers.recv(peer), List.of(b("server-alias"), b("world"), seq), "reply " + i);
              if (bad != null) return bad;
            } else {
              String bad = mismatch(JeromqPeers.recv(peer), List.of(b("our-client"), b("hello"), seq), "request " + i);
              if (bad != null) return bad;
              if (!JeromqPeers.send(peer, List.of(b("our-client"), b("world"), seq))) return "reply " + i + " failed";
            }
          }
          return "OK";
        });
        for (int i = 0; i < COUNT; i++) {
          if (weBind) {
            Msg m = router.recv(WAIT);
            assertNotNull(m, "request " + i);
            assertEquals(List.of("jeromq-client", "hello", Integer.toString(i)), texts(m));
            router.send(Msg.of(m.frame(0), Frame.of("world"), m.frame(2)));
          } else {
            router.send(Msg.ofStrings("server-alias", "hello", Integer.toString(i)));
            Msg m = router.recv(WAIT);
            assertNotNull(m, "reply " + i);
            assertEquals(List.of("server-alias", "world", Integer.toString(i)), texts(m));
          }
        }
        assertEquals("OK", await(theirs));
      } finally {
        jeromq.destroySocket(peer);
      }
    }
  }
}
