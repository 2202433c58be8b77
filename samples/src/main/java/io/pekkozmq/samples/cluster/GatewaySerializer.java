package io.pekkozmq.samples.cluster;

import java.io.NotSerializableException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The gateway's messages between members, in binary (big-endian):
 * <pre>
 *   Worker.Jobs     (manifest "J"): gatewayPort:int32, replyTo:(len:int32, utf8), count:int32, count x (id:int64, frames)
 *   Gateway.Answers (manifest "A"): count:int32, count x (id:int64, frames)
 *   frames: n:int32, n x (len:int32, bytes)
 * </pre>
 * ActorRefs travel as {@link ActorRefResolver} strings. The identifier and manifests are fixed:
 * members of different builds must agree on them. Bytes that do not parse exactly (short, too
 * long, a length past the end) fail with {@link NotSerializableException} naming the manifest.
 */
public final class GatewaySerializer extends SerializerWithStringManifest {
  /** Outside Pekko's reserved 0..40. */
  public static final int IDENTIFIER = 16_016;
  public static final String JOBS = "J";
  public static final String ANSWERS = "A";

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public GatewaySerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof Worker.Jobs) return JOBS;
    if (o instanceof Gateway.Answers) return ANSWERS;
    throw new IllegalArgumentException("GatewaySerializer cannot serialize " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof Worker.Jobs j) {
      byte[] ref = resolver().toSerializationFormat(j.replyTo()).getBytes(StandardCharsets.UTF_8);
      int size = 4 + 4 + ref.length + 4;
      for (Worker.Job job : j.jobs()) size += 8 + framesSize(job.frames());
      ByteBuffer b = ByteBuffer.allocate(size);
      b.putInt(j.gatewayPort()).putInt(ref.length).put(ref).putInt(j.jobs().size());
      for (Worker.Job job : j.jobs()) {
        b.putLong(job.id());
        putFrames(b, job.frames());
      }
      return b.array();
    }
    if (o instanceof Gateway.Answers as) {
      int size = 4;
      for (Gateway.Answer a : as.answers()) size += 8 + framesSize(a.frames());
      ByteBuffer b = ByteBuffer.allocate(size);
      b.putInt(as.answers().size());
      for (Gateway.Answer a : as.answers()) {
        b.putLong(a.id());
        putFrames(b, a.frames());
      }
      return b.array();
    }
    throw new IllegalArgumentException("GatewaySerializer cannot serialize " + o.getClass().getName());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    try {
      Object o = switch (manifest) {
        case JOBS -> {
          int gatewayPort = b.getInt();
          byte[] ref = new byte[length(b)];
          b.get(ref);
          ActorRef<Gateway.Answers> replyTo = resolver().resolveActorRef(new String(ref, StandardCharsets.UTF_8));
          int n = count(b, 12);
          List<Worker.Job> jobs = new ArrayList<>(n);
          for (int i = 0; i < n; i++) jobs.add(new Worker.Job(b.getLong(), frames(b)));
          yield new Worker.Jobs(jobs, gatewayPort, replyTo);
        }
        case ANSWERS -> {
          int n = count(b, 12);
          List<Gateway.Answer> answers = new ArrayList<>(n);
          for (int i = 0; i < n; i++) answers.add(new Gateway.Answer(b.getLong(), frames(b)));
          yield new Gateway.Answers(answers);
        }
        default -> throw new NotSerializableException("GatewaySerializer: unknown manifest '" + manifest + "'");
      };
      if (b.hasRemaining()) throw new IllegalArgumentException(b.remaining() + " bytes after the last frame");
      return o;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new NotSerializableException("GatewaySerializer: malformed '" + manifest + "' of " + bytes.length
          + " bytes: " + e);
    }
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) resolver = r = ActorRefResolver.get(Adapter.toTyped(system));
    return r;
  }

  private static int framesSize(List<byte[]> frames) {
    int n = 4;
    for (byte[] f : frames) n += 4 + f.length;
    return n;
  }

  private static void putFrames(ByteBuffer b, List<byte[]> frames) {
    b.putInt(frames.size());
    for (byte[] f : frames) b.putInt(f.length).put(f);
  }

  private static List<byte[]> frames(ByteBuffer b) {
    int n = count(b, 4);
    List<byte[]> frames = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] f = new byte[length(b)];
      b.get(f);
      frames.add(f);
    }
    return frames;
  }

  /** A count of items of at least {@code minBytes} each, checked against the bytes left. */
  private static int count(ByteBuffer b, int minBytes) {
    int n = b.getInt();
    if (n < 0 || n > b.remaining() / minBytes) {
      throw new IllegalArgumentException("count " + n + " with " + b.remaining() + " bytes left");
    }
    return n;
  }

  private static int length(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0 || n > b.remaining()) throw new IllegalArgumentException("length " + n + " with " + b.remaining() + " bytes left");
    return n;
  }
}
