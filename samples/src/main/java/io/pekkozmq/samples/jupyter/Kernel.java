package io.pekkozmq.samples.jupyter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkozmq.actors.Proxy;
import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Msg;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jupyter kernel (messaging protocol 5.3) as one typed actor over five pekko-zmq sockets: it
 * receives from the shell, control and stdin ROUTERs as {@link Socket.Delivery} batches with a
 * bounded demand, publishes on the iopub PUB with {@link Socket.Send}, and leaves the heartbeat to
 * a {@link Proxy} from its ROUTER to itself (libzmq's echo, as ipykernel has it). Cells run in a
 * {@link JShellEvaluator} on its own thread; results come back as actor messages.
 *
 * <p>Shell requests run one at a time in arrival order (a completion request sent during a long
 * cell waits for it, as in ipykernel); control requests (interrupt, shutdown, kernel_info) are
 * answered at once. Every request is framed by busy and idle on iopub with it as parent.
 */
public final class Kernel extends AbstractBehavior<Kernel.Command> {
  private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);
  /** Shell requests taken from the socket ahead of the one running (ipykernel aborts them after an error). */
  private static final int SHELL_DEMAND = 32;
  private static final Duration RESTOP = Duration.ofMillis(200);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  public interface Command {}

  private enum Channel { SHELL, CONTROL, STDIN }

  /** Messages from one of the ROUTERs; which one is told by the delivery's socket. */
  private record Inbound(Socket.Delivery delivery) implements Command {}

  /** A cell printed something: drain the captures into iopub. */
  private enum OutputReady implements Command { INSTANCE }

  /** The evaluator finished the shell request that was running. */
  private record Finished(JupyterMessage request, Object result, Throwable failure) implements Command {}

  /** An interrupted cell is still running: stop it again. */
  private enum Restop implements Command { INSTANCE }

  /** The sockets of a running kernel, bound by the caller. */
  public record Sockets(ZSocket shell, ZSocket control, ZSocket stdin, ZSocket iopub, ZSocket heartbeat) {}

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Sockets sockets;
  private final MessageCodec codec;
  private final JShellEvaluator evaluator;
  private final OutputCapture stdout;
  private final OutputCapture stderr;
  private final CompletableFuture<Boolean> shutdown;
  private final String session = UUID.randomUUID().toString();
  private final byte[] topicPrefix = ("kernel." + session + ".").getBytes(StandardCharsets.UTF_8);
  private final Deque<JupyterMessage> shellQueue = new ArrayDeque<>();
  /** The shell request being handled off the actor (execute, complete, inspect, is_complete), or null. */
  private JupyterMessage running;
  private JShellEvaluator.Execution execution;
  /** The execute request whose cell printed last: stream messages name it as their parent. */
  private JupyterMessage outputParent;
  private int executionCount;
  private boolean stopping;

  /**
   * @param shutdown completed with the {@code restart} flag of the shutdown request once the
   *     replies are queued; the caller then closes the sockets (LINGER delivers them)
   */
  public static Behavior<Command> create(Sockets sockets, MessageCodec codec, JShellEvaluator evaluator,
      OutputCapture stdout, OutputCapture stderr, CompletableFuture<Boolean> shutdown) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Kernel(ctx, timers, sockets, codec, evaluator, stdout, stderr, shutdown)));
  }

  private Kernel(ActorContext<Command> ctx, TimerScheduler<Command> timers, Sockets sockets, MessageCodec codec,
      JShellEvaluator evaluator, OutputCapture stdout, OutputCapture stderr, CompletableFuture<Boolean> shutdown) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.sockets = sockets;
    this.codec = codec;
    this.evaluator = evaluator;
    this.stdout = stdout;
    this.stderr = stderr;
    this.shutdown = shutdown;
    // one adapter for the three: Pekko keeps a single message adapter per message class
    ActorRef<Socket.Delivery> adapter = ctx.messageAdapter(Socket.Delivery.class, Inbound::new);
    sockets.shell().actor().tell(new Socket.StartReceiving(adapter, SHELL_DEMAND));
    sockets.control().actor().tell(new Socket.StartReceiving(adapter, 16));
    sockets.stdin().actor().tell(new Socket.StartReceiving(adapter, 16));
    ctx.spawn(Proxy.create(sockets.heartbeat(), sockets.heartbeat(), null), "heartbeat");
    publish(null, "status", status("starting"));
  }

  /** Called by the captures' writer thread: the actor drains them on its own thread. */
  static Runnable notifier(CompletableFuture<ActorRef<Command>> kernel) {
    return () -> {
      ActorRef<Command> k = kernel.getNow(null);
      if (k != null) k.tell(OutputReady.INSTANCE);
    };
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Inbound.class, this::onInbound)
        .onMessageEquals(OutputReady.INSTANCE, this::onOutputReady)
        .onMessage(Finished.class, this::onFinished)
        .onMessageEquals(Restop.INSTANCE, this::onRestop)
        .build();
  }

  // ---- receiving ------------------------------------------------------------------------------

  private Behavior<Command> onInbound(Inbound in) {
    ActorRef<Socket.Command> from = in.delivery().socket();
    Channel channel = from.equals(sockets.shell().actor()) ? Channel.SHELL
        : from.equals(sockets.control().actor()) ? Channel.CONTROL : Channel.STDIN;
    for (Msg m : in.delivery().messages()) {
      MessageCodec.Decoded d = codec.decode(m);
      if (d instanceof MessageCodec.Invalid invalid) {
        LOG.warn("{}: ignoring a message of {} frames: {}", channel.name().toLowerCase(), m.size(), invalid.reason());
      }
      // control and stdin are handled at once and a refused message is not kept, so their demand
      // comes back now; a queued shell request gives its demand back when it is taken off the queue
      if (channel != Channel.SHELL || d instanceof MessageCodec.Invalid) {
        in.delivery().socket().tell(new Socket.Request(1));
      }
      if (!(d instanceof MessageCodec.Valid valid)) continue;
      JupyterMessage request = valid.message();
      switch (channel) {
        case SHELL -> shellQueue.addLast(request);
        case CONTROL -> handleControl(request);
        case STDIN -> LOG.warn("stdin: ignoring {} (this kernel never asks for input)", request.msgType());
      }
    }
    if (channel == Channel.SHELL) nextShell();
    return this;
  }

  // ---- shell ----------------------------------------------------------------------------------

  private void nextShell() {
    while (running == null && !stopping && !shellQueue.isEmpty()) {
      JupyterMessage request = shellQueue.pollFirst();
      sockets.shell().actor().tell(new Socket.Request(1));
      handleShell(request);
    }
  }

  private void handleShell(JupyterMessage request) {
    publish(request, "status", status("busy"));
    ObjectNode c = request.content();
    switch (request.msgType()) {
      case "kernel_info_request" -> replyAndIdle(Channel.SHELL, request, "kernel_info_reply", KernelInfo.content());
      case "execute_request" -> startExecute(request);
      case "complete_request" -> {
        String code = c.path("code").asText("");
        int cursor = charIndex(code, c.path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        runOff(request, evaluator.complete(code, cursor));
      }
      case "inspect_request" -> {
        String code = c.path("code").asText("");
        int cursor = charIndex(code, c.path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        runOff(request, evaluator.inspect(code, cursor));
      }
      case "is_complete_request" -> runOff(request, evaluator.isComplete(c.path("code").asText("")));
      case "history_request" -> {
        ObjectNode r = ok();
        r.putArray("history");
        replyAndIdle(Channel.SHELL, request, "history_reply", r);
      }
      case "comm_info_request" -> {
        ObjectNode r = ok();
        r.putObject("comms");
        replyAndIdle(Channel.SHELL, request, "comm_info_reply", r);
      }
      case "shutdown_request" -> shutdown(Channel.SHELL, request);
      default -> {
        LOG.warn("shell: unsupported request {}", request.msgType());
        publish(request, "status", status("idle"));
      }
    }
  }

  private void startExecute(JupyterMessage request) {
    ObjectNode c = request.content();
    String code = c.path("code").asText("");
    boolean silent = c.path("silent").asBoolean(false);
    if (!silent && c.path("store_history").asBoolean(true)) executionCount++;
    if (!silent) {
      ObjectNode input = JSON.objectNode();
      input.put("code", code);
      input.put("execution_count", executionCount);
      publish(request, "execute_input", input);
    }
    drainOutput();
    outputParent = request;
    execution = evaluator.execute(code);
    runOff(request, execution.outcome());
  }

  private void runOff(JupyterMessage request, CompletionStage<?> work) {
    running = request;
    ctx.pipeToSelf(work, (result, failure) -> new Finished(request, result, failure));
  }

  private Behavior<Command> onFinished(Finished f) {
    running = null;
    execution = null;
    timers.cancel(Restop.INSTANCE);
    JupyterMessage request = f.request();
    if (f.failure() != null) {
      LOG.error("{} failed in the evaluator", request.msgType(), f.failure());
      Throwable cause = f.failure() instanceof java.util.concurrent.CompletionException && f.failure().getCause() != null
          ? f.failure().getCause() : f.failure();
      ObjectNode r = error("KernelError", String.valueOf(cause.getMessage()), List.of(cause.toString()));
      replyAndIdle(Channel.SHELL, request, request.msgType().replace("_request", "_reply"), r);
    } else {
      switch (request.msgType()) {
        case "execute_request" -> finishExecute(request, (JShellEvaluator.Outcome) f.result());
        case "complete_request" -> {
          JShellEvaluator.Completion comp = (JShellEvaluator.Completion) f.result();
          String code = request.content().path("code").asText("");
          ObjectNode r = ok();
          ArrayNode matches = r.putArray("matches");
          comp.matches().forEach(matches::add);
          r.put("cursor_start", code.codePointCount(0, comp.start()));
          r.put("cursor_end", code.codePointCount(0, comp.end()));
          r.putObject("metadata");
          replyAndIdle(Channel.SHELL, request, "complete_reply", r);
        }
        case "inspect_request" -> {
          String text = (String) f.result();
          ObjectNode r = ok();
          r.put("found", !text.isEmpty());
          ObjectNode data = r.putObject("data");
          if (!text.isEmpty()) data.put("text/plain", text);
          r.putObject("metadata");
          replyAndIdle(Channel.SHELL, request, "inspect_reply", r);
        }
        case "is_complete_request" -> {
          ObjectNode r = JSON.objectNode();
          String status = (String) f.result();
          r.put("status", status);
          if (status.equals("incomplete")) r.put("indent", "");
          replyAndIdle(Channel.SHELL, request, "is_complete_reply", r);
        }
        default -> throw new IllegalStateException("no result expected for " + request.msgType());
      }
    }
    nextShell();
    return this;
  }

  private void finishExecute(JupyterMessage request, JShellEvaluator.Outcome outcome) {
    drainOutput();
    boolean silent = request.content().path("silent").asBoolean(false);
    ObjectNode reply;
    boolean abort = false;
    if (outcome instanceof JShellEvaluator.Exit) {
      // as ipykernel's exit: a counted cell, status ok, and the frontend asked to leave; the
      // kernel ends when the frontend then sends shutdown_request (jupyter console does)
      reply = ok();
      reply.put("execution_count", executionCount);
      reply.putObject("user_expressions");
      ObjectNode askExit = reply.putArray("payload").addObject();
      askExit.put("source", "ask_exit");
      askExit.put("keepkernel", false);
    } else if (outcome instanceof JShellEvaluator.Ok ok) {
      if (ok.value() != null && !silent) {
        ObjectNode result = JSON.objectNode();
        result.put("execution_count", executionCount);
        result.putObject("data").put("text/plain", ok.value());
        result.putObject("metadata");
        publish(request, "execute_result", result);
      }
      reply = ok();
      reply.put("execution_count", executionCount);
      reply.putObject("user_expressions");
      reply.putArray("payload");
    } else {
      JShellEvaluator.Failed failed = outcome instanceof JShellEvaluator.Failed x ? x
          : new JShellEvaluator.Failed("Interrupted", "the cell was interrupted", List.of("Interrupted"));
      publish(request, "error", error(failed.ename(), failed.evalue(), failed.traceback()));
      reply = error(failed.ename(), failed.evalue(), failed.traceback());
      reply.put("execution_count", executionCount);
      abort = request.content().path("stop_on_error").asBoolean(true);
    }
    replyAndIdle(Channel.SHELL, request, "execute_reply", reply);
    if (abort) abortQueuedExecutes();
  }

  /** After a failed cell, the cells queued behind it are not run (ipykernel's stop_on_error). */
  private void abortQueuedExecutes() {
    for (var it = shellQueue.iterator(); it.hasNext(); ) {
      JupyterMessage queued = it.next();
      if (!queued.msgType().equals("execute_request")) continue;
      it.remove();
      sockets.shell().actor().tell(new Socket.Request(1));
      publish(queued, "status", status("busy"));
      ObjectNode r = JSON.objectNode();
      r.put("status", "aborted");
      r.put("execution_count", executionCount);
      replyAndIdle(Channel.SHELL, queued, "execute_reply", r);
    }
  }

  // ---- control --------------------------------------------------------------------------------

  private void handleControl(JupyterMessage request) {
    publish(request, "status", status("busy"));
    switch (request.msgType()) {
      case "kernel_info_request" -> replyAndIdle(Channel.CONTROL, request, "kernel_info_reply", KernelInfo.content());
      case "interrupt_request" -> {
        if (execution != null) {
          execution.stop();
          timers.startTimerWithFixedDelay(Restop.INSTANCE, RESTOP);
        }
        replyAndIdle(Channel.CONTROL, request, "interrupt_reply", ok());
      }
      case "shutdown_request" -> shutdown(Channel.CONTROL, request);
      default -> {
        LOG.warn("control: unsupported request {}", request.msgType());
        publish(request, "status", status("idle"));
      }
    }
  }

  private Behavior<Command> onRestop() {
    if (execution != null) execution.stop();
    else timers.cancel(Restop.INSTANCE);
    return this;
  }

  private void shutdown(Channel channel, JupyterMessage request) {
    boolean restart = request.content().path("restart").asBoolean(false);
    ObjectNode r = ok();
    r.put("restart", restart);
    if (execution != null) execution.stop();
    drainOutput();
    send(channel, JupyterMessage.reply(request, session, "shutdown_reply", r));
    publish(request, "shutdown_reply", r.deepCopy());
    publish(request, "status", status("idle"));
    stopping = true;
    shutdown.complete(restart);
  }

  // ---- output ---------------------------------------------------------------------------------

  private Behavior<Command> onOutputReady() {
    drainOutput();
    return this;
  }

  private void drainOutput() {
    for (OutputCapture capture : List.of(stdout, stderr)) {
      String text = capture.drain();
      if (text.isEmpty()) continue;
      ObjectNode c = JSON.objectNode();
      c.put("name", capture.name());
      c.put("text", text);
      publish(outputParent, "stream", c);
    }
  }

  private void replyAndIdle(Channel channel, JupyterMessage request, String type, ObjectNode content) {
    send(channel, JupyterMessage.reply(request, session, type, content));
    publish(request, "status", status("idle"));
  }

  private void send(Channel channel, JupyterMessage m) {
    ZSocket socket = channel == Channel.CONTROL ? sockets.control() : sockets.shell();
    socket.actor().tell(new Socket.Send(codec.encode(m), null));
  }

  private void publish(JupyterMessage parent, String type, ObjectNode content) {
    byte[] topic = new byte[topicPrefix.length + type.length()];
    System.arraycopy(topicPrefix, 0, topic, 0, topicPrefix.length);
    System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, topic, topicPrefix.length, type.length());
    JupyterMessage m = JupyterMessage.caused(parent, session, type, content, List.of(topic));
    sockets.iopub().actor().tell(new Socket.Send(codec.encode(m), null));
  }

  private static ObjectNode status(String state) {
    ObjectNode c = JSON.objectNode();
    c.put("execution_state", state);
    return c;
  }

  private static ObjectNode ok() {
    ObjectNode c = JSON.objectNode();
    c.put("status", "ok");
    return c;
  }

  private static ObjectNode error(String ename, String evalue, List<String> traceback) {
    ObjectNode c = JSON.objectNode();
    c.put("status", "error");
    c.put("ename", ename);
    c.put("evalue", evalue);
    ArrayNode tb = c.putArray("traceback");
    traceback.forEach(tb::add);
    return c;
  }

  /** Jupyter counts cursor positions in code points (protocol 5.2 on); Java strings in UTF-16 units. */
  private static int charIndex(String code, int codePoints) {
    int total = code.codePointCount(0, code.length());
    return code.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, total)));
  }
}
