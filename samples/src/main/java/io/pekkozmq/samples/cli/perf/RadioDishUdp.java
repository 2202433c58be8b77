package io.pekkozmq.samples.cli.perf;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;

/**
 * {@code pzmq perf udp_radio_dish}: one process, a RADIO connected over udp to a DISH bound on
 * loopback; a sender thread sends {@code count} messages of {@code size} bytes to one group as fast
 * as the RADIO takes them (or at {@code --rate}), the main thread receives until a second passes without a message.
 * Prints what libzmq's tools print (size, count, msg/s and Mb/s, here of the messages received)
 * plus the sender's rate and the loss: what the RADIO's pipe (at SNDHWM, as PUB) or the receiver's
 * kernel buffer could not hold.
 */
public final class RadioDishUdp {
  private RadioDishUdp() {}

  /** {@code rate}: messages per second the sender keeps to (0: as fast as it can). */
  public static int run(long size, long count, long rate) throws InterruptedException {
    try (ZContext ctx = new ZContext(); ZSocket dish = ctx.socket(SocketType.DISH);
        ZSocket radio = ctx.socket(SocketType.RADIO)) {
      dish.join("perf");
      String ep = dish.bind("udp://127.0.0.1:*");
      radio.connect(ep);
      Msg m = Msg.ofBytes(new byte[(int) size]).withGroup("perf");
      long[] sendMicros = new long[1];
      Thread sender = new Thread(() -> {
        long t0 = PerfOutput.nowMicros();
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
          if (rate > 0) { // paced: wait for this message's slot
            long due = start + i * 1_000_000_000L / rate;
            while (System.nanoTime() < due) java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
          }
          radio.send(m);
        }
        sendMicros[0] = Math.max(1, PerfOutput.nowMicros() - t0);
      }, "udp_radio_dish-sender");
      long received = 0;
      long first = 0;
      long last = 0;
      sender.start();
      while (received < count) {
        Msg got = dish.recv(Duration.ofSeconds(1));
        if (got == null) {
          if (!sender.isAlive()) break; // the sender is done and a second passed: the rest was lost
          continue;
        }
        PerfOutput.checkSize(got, size);
        last = PerfOutput.nowMicros();
        if (received++ == 0) first = last;
      }
      sender.join();
      System.out.printf("message size: %d [B]%n", size);
      System.out.printf("message count: %d%n", count);
      System.out.printf("sent: %d [msg/s]%n", count * 1_000_000L / sendMicros[0]);
      System.out.printf("received: %d%n", received);
      System.out.printf("loss: %.2f [%%]%n", 100.0 * (count - received) / count);
      if (received > 1) {
        long elapsed = Math.max(1, last - first);
        long mps = (received - 1) * 1_000_000L / elapsed;
        System.out.printf("mean throughput: %d [msg/s]%n", mps);
        System.out.printf("mean throughput: %.3f [Mb/s]%n", mps * size * 8 / 1_000_000.0);
      }
      return 0;
    }
  }
}
