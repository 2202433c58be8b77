package io.pekkozmq.engine.zmtp;

import static io.pekkozmq.engine.zmtp.Wire.bytes;
import static io.pekkozmq.engine.zmtp.Wire.drain;
import static io.pekkozmq.engine.zmtp.Wire.hexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.SocketType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same peer byte stream must give the same frames and output however the reads split it. */
class ZmtpSplitInputTest {
  private static final byte[] STREAM = bytes()
      .greeting(3, 1, "NULL")
      .ready("Socket-Type", "PUB", "X-Long", "v".repeat(300))
      .data("a", true).data("", true).u8(0).u8(200).raw(new byte[200])
      .u8(2).u64(300).raw(new byte[300])
      .hex("040a04").ascii("PING").hex("0001").ascii("LOL")
      .hex("040c09").ascii("SUBSCRIBE").ascii("ab")
      .data("z", false)
      .build();
  private static final List<String> FRAMES = expectedFrames();

  private static List<String> expectedFrames() {
    Result r = run(List.of(STREAM));
    assertEquals(6, r.frames.size(), r.frames.toString());
    return r.frames;
  }

  record Result(List<String> frames, String output) {}

  private static Result run(List<byte[]> chunks) {
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.SUB).build());
    Wire.Collect sink = new Wire.Collect();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(drain(c));
    for (byte[] chunk : chunks) {
      ByteBuffer in = ByteBuffer.wrap(chunk);
      assertEquals(ZmtpConnection.Status.OK, c.consume(in, sink), c.errorDetail());
      assertEquals(0, in.remaining());
      out.writeBytes(drain(c));
    }
    assertTrue(c.handshakeComplete());
    List<String> frames = sink.frames.stream().map(f -> f.toString()).toList();
    return new Result(frames, hexOf(out.toByteArray()));
  }

  @Test
  void wholeInputGivesAllFramesAndThePong() {
    Result r = run(List.of(STREAM));
    assertTrue(r.output.endsWith("040804" + hexOf("PONGLOL".getBytes())), r.output);
  }

  @Test
  void byteByByteInputGivesTheSameFramesAndOutput() {
    String expectedOut = run(List.of(STREAM)).output;
    byte[][] chunks = new byte[STREAM.length][];
    for (int i = 0; i < STREAM.length; i++) chunks[i] = new byte[] {STREAM[i]};
    Result r = run(List.of(chunks));
    assertEquals(FRAMES, r.frames);
    assertEquals(expectedOut, r.output);
  }

  @Test
  void everySplitPointGivesTheSameFramesAndOutput() {
    String expectedOut = run(List.of(STREAM)).output;
    for (int split = 0; split <= STREAM.length; split++) {
      byte[] a = java.util.Arrays.copyOfRange(STREAM, 0, split);
      byte[] b = java.util.Arrays.copyOfRange(STREAM, split, STREAM.length);
      Result r = run(List.of(a, b));
      assertEquals(FRAMES, r.frames, "split at " + split);
      assertEquals(expectedOut, r.output, "split at " + split);
    }
  }

  @Test
  void directBuffersDecodeTheSame() {
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.SUB).build());
    Wire.Collect sink = new Wire.Collect();
    drain(c);
    ByteBuffer in = ByteBuffer.allocateDirect(STREAM.length);
    in.put(STREAM).flip();
    assertEquals(ZmtpConnection.Status.OK, c.consume(in, sink));
    assertEquals(FRAMES, sink.frames.stream().map(f -> f.toString()).toList());
  }
}
