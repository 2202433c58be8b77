package io.pekkozmq.samples.jupyter;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What a cell prints to one of its streams (stdout or stderr), held until the kernel drains it
 * into an iopub {@code stream} message. Written by JShell's output thread, drained by the kernel
 * actor; the first bytes after a drain call {@code onOutput} once, so a burst of output costs one
 * actor message, not one per write. A UTF-8 sequence split across writes waits for its end.
 */
final class OutputCapture extends OutputStream {
  private final String name;
  private final Runnable onOutput;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
  private ByteBuffer pending = ByteBuffer.allocate(8192);

  OutputCapture(String name, Runnable onOutput) {
    this.name = name;
    this.onOutput = onOutput;
  }

  /** The stream's name in Jupyter's {@code stream} message: stdout or stderr. */
  String name() {
    return name;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (len == 0) return;
    boolean wasEmpty;
    synchronized (this) {
      wasEmpty = pending.position() == 0;
      if (pending.remaining() < len) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + len));
        pending.flip();
        bigger.put(pending);
        pending = bigger;
      }
      pending.put(b, off, len);
    }
    if (wasEmpty) onOutput.run();
  }

  /** The text written since the last drain, up to the last whole UTF-8 character; "" if none. */
  synchronized String drain() {
    if (pending.position() == 0) return "";
    pending.flip();
    CharBuffer out = CharBuffer.allocate(pending.remaining());
    decoder.decode(pending, out, false);
    pending.compact();
    out.flip();
    return out.toString();
  }
}
