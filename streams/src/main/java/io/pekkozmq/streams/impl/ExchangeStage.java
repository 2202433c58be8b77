package io.pekkozmq.streams.impl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.streams.ZmqSettings;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractOutHandler;

/**
 * Internal. REQ and REP, whose sends and receives must alternate, as a Flow with one exchange at a
 * time. REQ ({@code sendFirst}): in = requests, out = replies; it takes the next request only after
 * the previous reply went out. REP: out = requests for a handler, in = the handler's replies; it
 * receives the next request only after the reply to the last one is sent. Completion, cancellation
 * and drainAndShutdown finish the exchange under way first when its other half can still come.
 */
public final class ExchangeStage extends SocketStage<FlowShape<Msg, Msg>> {
  private final boolean sendFirst;
  private final Inlet<Msg> in = shape().in();
  private final Outlet<Msg> out = shape().out();

  public ExchangeStage(ZmqSettings settings, boolean sendFirst) {
    super(settings, FlowShape.of(Inlet.create(sendFirst ? "ZmqRequest.requests" : "ZmqReply.replies"),
        Outlet.create(sendFirst ? "ZmqRequest.replies" : "ZmqReply.requests")),
        sendFirst ? "zmqRequest" : "zmqRepServer");
    this.sendFirst = sendFirst;
  }

  @Override
  SocketStageLogic createLogic(StageControl control) {
    return new Logic(control);
  }

  private final class Logic extends SocketStageLogic {
    /** True while waiting for the socket to receive; false while waiting for something to send. */
    private boolean receiving = !sendFirst;
    private boolean finishing;

    Logic(StageControl control) {
      super(shape(), sendFirst ? "ZmqFlow.request" : "ZmqFlow.repServer", ExchangeStage.this.settings, control, 1);
      setHandler(in, new InHandler() {
        @Override
        public void onPush() {
          pending = grab(in);
          if (!sendFirst && receiving) {
            fail(new IllegalStateException("ZmqFlow.repServer: the handler emitted a reply with no request to answer"));
            return;
          }
          trySendPending();
        }

        @Override
        public void onUpstreamFinish() {
          // REP whose handler ends while owing a reply can never answer: stop now
          if (idle() || (!sendFirst && pending == null)) completeStage();
          else finishing = true;
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          if (receiving) tryReceive();
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          // a REP handler that stops taking requests may still deliver the reply it owes
          if (!sendFirst && !receiving) finishing = true;
          else completeStage();
        }
      });
    }

    /** No exchange under way. */
    private boolean idle() {
      return sendFirst ? !receiving && pending == null : receiving;
    }

    @Override
    protected void onSocketOpen() {
      // REQ asks for its first request; REP signals demand for replies from the start, as a joined
      // handler only pulls requests once its own output is pulled
      pull(in);
    }

    private void trySendPending() {
      if (!sendPending()) return;
      receiving = true;
      if (!sendFirst) {
        if (finishing) {
          completeStage();
          return;
        }
        pull(in);
      }
      if (isAvailable(out)) tryReceive();
    }

    private void tryReceive() {
      Msg m = receive();
      if (m == null) return;
      push(out, m);
      receiving = false;
      if (sendFirst) {
        if (finishing) completeStage();
        else if (!isClosed(in)) pull(in);
      }
    }

    @Override
    protected void onSocketChanged() {
      if (pending != null) trySendPending();
      else if (receiving && isAvailable(out)) tryReceive();
    }

    @Override
    protected void onShutdownRequested() {
      if (idle()) completeStage();
      else finishing = true;
    }
  }
}
