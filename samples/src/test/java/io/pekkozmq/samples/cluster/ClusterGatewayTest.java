package io.pekkozmq.samples.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.io.IOException;
import java.io.NotSerializableException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway in one JVM: three members on 127.0.0.1 (Artery TCP), the gateway on the first, our
 * own REQ as the client. Jobs to the other two members cross Artery, so they go through
 * {@link GatewaySerializer} for real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterGatewayTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<ClusterNode> nodes = new ArrayList<>();
  private final ConcurrentHashMap<String, CompletableFuture<String>> lines = new ConcurrentHashMap<>();
  private String endpoint;

  private CompletableFuture<String> line(String text) {
    return lines.computeIfAbsent(text, t -> new CompletableFuture<>());
  }

  /** Completes the futures of every awaited text the line contains (a status line of any member). */
  private final Consumer<String> status = l -> {
    for (var e : lines.entrySet()) if (l.contains(e.getKey())) e.getValue().complete(l);
  };

  @BeforeAll
  void formCluster() throws Exception {
    int a = freePort();
    endpoint = "tcp://127.0.0.1:" + freePort();
    CompletableFuture<String> bound = line("gateway bound at " + endpoint + " on member " + a);
    CompletableFuture<String> three = line("gateway: 3 worker(s) reachable");
    nodes.add(ClusterNode.start(a, a, endpoint, status));
    bound.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    // members without --serve: they only work
    nodes.add(ClusterNode.start(freePort(), a, null, status));
    nodes.add(ClusterNode.start(freePort(), a, null, status));
    three.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @AfterAll
  void leave() throws Exception {
    List<CompletableFuture<?>> done = new ArrayList<>();
    for (ClusterNode n : nodes) done.add(n.leave().toCompletableFuture());
    CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    for (ClusterNode n : nodes) n.whenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void requestsAreSpreadOverEveryMembersWorkerAndAnsweredToTheirClient() {
    int a = nodes.get(0).port();
    Set<Integer> workers = new TreeSet<>();
    try (ZContext ctx = new ZContext()) {
      ZSocket req = ctx.socket(SocketType.REQ);
      req.setOption(ZmqOption.LINGER, 0);
      req.connect(endpoint);
      for (int i = 0; i < 30; i++) {
        req.send(Msg.ofStrings("job", String.valueOf(i), ""));
        Msg r = req.recv(WAIT);
        assertNotNull(r, "no answer to request " + i);
        List<String> t = r.texts();
        assertEquals(List.of("job", String.valueOf(i), ""), t.subList(0, 3), "the request's frames first");
        assertEquals(5, t.size(), "then node= and gateway=: " + t);
        assertEquals("gateway=" + a, t.get(4));
        workers.add(Integer.parseInt(t.get(3).substring("node=".length())));
      }
    }
    Set<Integer> all = new TreeSet<>();
    for (ClusterNode n : nodes) all.add(n.port());
    assertEquals(all, workers, "round-robin over the three members");
  }

  @Test
  void gatewayMessagesRoundTripThroughTheirOwnSerializerAndJavaSerializationIsOff() throws Exception {
    var system = nodes.get(0).system();
    assertFalse(system.settings().config().getBoolean("pekko.actor.allow-java-serialization"));
    Serialization ser = SerializationExtension.get(Adapter.toClassic(system));
    byte[] big = new byte[1 << 20];
    Arrays.fill(big, (byte) 7);
    var replyTo = Adapter.toTyped(Adapter.toClassic(system).deadLetters()).<Gateway.Answers>unsafeUpcast();
    List<List<byte[]>> cases = List.of(List.of(), List.of(new byte[0]), List.of(big),
        List.of("a".getBytes(), new byte[0], "ccc".getBytes()));
    List<Worker.Job> jobs = new ArrayList<>();
    List<Gateway.Answer> answers = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      jobs.add(new Worker.Job(Long.MAX_VALUE - i, cases.get(i)));
      answers.add(new Gateway.Answer(-i, cases.get(i)));
    }
    for (Worker.Jobs batch : List.of(new Worker.Jobs(jobs, 2552, replyTo), new Worker.Jobs(List.of(), 1, replyTo))) {
      Serializer s = ser.findSerializerFor(batch);
      assertInstanceOf(GatewaySerializer.class, s);
      Worker.Jobs back = (Worker.Jobs) ser.deserialize(ser.serialize(batch).get(), s.identifier(),
          Serializers.manifestFor(s, batch)).get();
      assertEquals(batch.gatewayPort(), back.gatewayPort());
      assertEquals(replyTo.path(), back.replyTo().path());
      assertEquals(batch.jobs().size(), back.jobs().size());
      for (int i = 0; i < batch.jobs().size(); i++) {
        assertEquals(batch.jobs().get(i).id(), back.jobs().get(i).id());
        assertFrames(batch.jobs().get(i).frames(), back.jobs().get(i).frames());
      }
    }
    Gateway.Answers as = new Gateway.Answers(answers);
    Serializer s = ser.findSerializerFor(as);
    assertInstanceOf(GatewaySerializer.class, s);
    Gateway.Answers back = (Gateway.Answers) ser.deserialize(ser.serialize(as).get(), s.identifier(),
        GatewaySerializer.ANSWERS).get();
    assertEquals(answers.size(), back.answers().size());
    for (int i = 0; i < answers.size(); i++) {
      assertEquals(answers.get(i).id(), back.answers().get(i).id());
      assertFrames(answers.get(i).frames(), back.answers().get(i).frames());
    }

    GatewaySerializer gs = (GatewaySerializer) s;
    byte[] good = gs.toBinary(new Gateway.Answers(List.of(new Gateway.Answer(1, List.of("x".getBytes())))));
    NotSerializableException e = assertThrows(NotSerializableException.class,
        () -> gs.fromBinary(Arrays.copyOf(good, good.length - 1), GatewaySerializer.ANSWERS));
    assertTrue(e.getMessage().contains("malformed 'A'"), e.getMessage());
    assertThrows(NotSerializableException.class, () -> gs.fromBinary(Arrays.copyOf(good, good.length + 1), "A"));
    byte[] hugeCount = good.clone();
    hugeCount[0] = 0x7f; // the answer count's high byte
    assertThrows(NotSerializableException.class, () -> gs.fromBinary(hugeCount, "A"));
    assertThrows(NotSerializableException.class, () -> gs.fromBinary(good, "Z"));
  }

  private static void assertFrames(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
