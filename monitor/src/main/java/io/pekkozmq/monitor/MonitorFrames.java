package io.pekkozmq.monitor;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.event.SocketEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * libzmq's monitor message layout (socket_base_t::monitor_event), byte for byte, in the little
 * endian order libzmq's memcpy of native integers produces on x86 and ARM.
 *
 * <ul>
 *   <li>v1: a 6-byte frame, u16 event then u32 value; then the endpoint (the local one for bound
 *       endpoints, the remote one otherwise).
 *   <li>v2: u64 event; u64 number of values; one u64 frame per value; the local endpoint; the
 *       remote endpoint.
 * </ul>
 */
final class MonitorFrames {
  private MonitorFrames() {}

  static Msg encode(SocketEvent e, int version) {
    return switch (version) {
      case 1 -> v1(e);
      case 2 -> v2(e);
      default -> throw new IllegalArgumentException("unknown monitor event version " + version);
    };
  }

  private static Msg v1(SocketEvent e) {
    if (e.type().value() > 0xFFFF) {
      // libzmq asserts this; a v1 mask cannot ask for such events
      throw new IllegalArgumentException(e.type() + " does not exist in event version 1");
    }
    ByteBuffer head = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
    head.putShort((short) e.type().value());
    head.putInt((int) e.value());
    return Msg.of(Frame.wrap(head.array()), Frame.wrap(e.endpoint().getBytes(StandardCharsets.UTF_8)));
  }

  private static Msg v2(SocketEvent e) {
    List<Long> values = e.values();
    Frame[] frames = new Frame[4 + values.size()];
    frames[0] = Frame.wrap(u64(e.type().value()));
    frames[1] = Frame.wrap(u64(values.size()));
    for (int i = 0; i < values.size(); i++) frames[2 + i] = Frame.wrap(u64(values.get(i)));
    frames[frames.length - 2] = Frame.wrap(e.localEndpoint().getBytes(StandardCharsets.UTF_8));
    frames[frames.length - 1] = Frame.wrap(e.remoteEndpoint().getBytes(StandardCharsets.UTF_8));
    return Msg.of(frames);
  }

  static byte[] u64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }
}
