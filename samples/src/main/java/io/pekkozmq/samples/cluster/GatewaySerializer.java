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
 * The gateway's messages between members, in binary: a {@link Worker.Job} as
 * {@code id:int64, gatewayPort:int32, replyTo:(len:int32, utf8), frames}, a {@link Gateway.Answer}
 * as {@code id:int64, frames}; frames as {@code count:int32} then {@code (len:int32, bytes)} each.
 * ActorRefs travel as {@link ActorRefResolver} strings. Manifests "J" and "A" are stable.
 */
public final class GatewaySerializer extends SerializerWithStringManifest {
  /** Outside Pekko's reserved 0..40; fixed, since members of different builds must agree. */
  public static final int IDENTIFIER = 16_016;
  private static final String JOB = "J";
  private static final String ANSWER = "A";

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
    if (o instanceof Worker.Job) return JOB;
    if (o instanceof Gateway.Answer) return ANSWER;
    throw new IllegalArgumentException("GatewaySerializer cannot serialize " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof Worker.Job j) {
      byte[] ref = resolver().toSerializationFormat(j.replyTo()).getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(8 + 4 + 4 + ref.length + framesSize(j.frames()));
      b.putLong(j.id()).putInt(j.gatewayPort()).putInt(ref.length).put(ref);
      putFrames(b, j.frames());
      return b.array();
    }
    if (o instanceof Gateway.Answer a) {
      ByteBuffer b = ByteBuffer.allocate(8 + framesSize(a.frames()));
      b.putLong(a.id());
      putFrames(b, a.frames());
      return b.array();
    }
    throw new IllegalArgumentException("GatewaySerializer cannot serialize " + o.getClass().getName());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    try {
      switch (manifest) {
        case JOB -> {
          long id = b.getLong();
          int gatewayPort = b.getInt();
          byte[] ref = new byte[length(b)];
          b.get(ref);
          ActorRef<Gateway.Answer> replyTo = resolver().resolveActorRef(new String(ref, StandardCharsets.UTF_8));
          List<byte[]> frames = frames(b);
          return new Worker.Job(id, frames, gatewayPort, replyTo);
        }
        case ANSWER -> {
          long id = b.getLong();
          return new Gateway.Answer(id, frames(b));
        }
        default -> throw new NotSerializableException("GatewaySerializer: unknown manifest '" + manifest + "'");
      }
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
    int n = length(b);
    if (n > b.remaining() / 4) throw new IllegalArgumentException("frame count " + n + " exceeds the bytes left");
    List<byte[]> frames = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] f = new byte[length(b)];
      b.get(f);
      frames.add(f);
    }
    if (b.hasRemaining()) throw new IllegalArgumentException(b.remaining() + " bytes after the last frame");
    return frames;
  }

  private static int length(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0 || n > b.remaining()) throw new IllegalArgumentException("length " + n + " with " + b.remaining() + " bytes left");
    return n;
  }
}
