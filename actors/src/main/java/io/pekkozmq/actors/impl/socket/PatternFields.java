package io.pekkozmq.actors.impl.socket;

import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.pattern.PatternOptions;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Internal. Where each pattern option ({@link ZmqOption.Scope#PATTERN}) lives in
 * {@link PatternOptions}: one line per option. Values come here checked by
 * {@link ZmqOption#validate}. SUBSCRIBE and UNSUBSCRIBE are actions, not fields: {@link SocketCore}
 * hands them to the pattern. Used under the socket's lock only.
 */
final class PatternFields {
  record Field(BiConsumer<PatternOptions, Object> store, Function<PatternOptions, Object> read) {}

  private static final Map<ZmqOption, Field> FIELDS = new EnumMap<>(ZmqOption.class);

  static {
    field(ZmqOption.ROUTER_MANDATORY, (o, v) -> o.routerMandatory = (boolean) v, o -> o.routerMandatory);
    field(ZmqOption.ROUTER_HANDOVER, (o, v) -> o.routerHandover = (boolean) v, o -> o.routerHandover);
    field(ZmqOption.ROUTER_NOTIFY, (o, v) -> o.routerNotify = (int) v, o -> o.routerNotify);
    field(ZmqOption.PROBE_ROUTER, (o, v) -> o.probeRouter = (boolean) v, o -> o.probeRouter);
    field(ZmqOption.REQ_CORRELATE, (o, v) -> o.reqCorrelate = (boolean) v, o -> o.reqCorrelate);
    field(ZmqOption.REQ_RELAXED, (o, v) -> o.reqRelaxed = (boolean) v, o -> o.reqRelaxed);
    field(ZmqOption.XPUB_VERBOSE, (o, v) -> {
      o.xpubVerbose = (boolean) v;
      o.xpubVerboser = false; // libzmq: VERBOSE clears VERBOSER
    }, o -> o.xpubVerbose);
    field(ZmqOption.XPUB_VERBOSER, (o, v) -> o.xpubVerboser = (boolean) v, o -> o.xpubVerboser);
    field(ZmqOption.XPUB_MANUAL, (o, v) -> o.xpubManual = (boolean) v, o -> o.xpubManual);
    field(ZmqOption.XPUB_MANUAL_LAST_VALUE, (o, v) -> o.xpubManualLastValue = (boolean) v, o -> o.xpubManualLastValue);
    field(ZmqOption.XPUB_NODROP, (o, v) -> o.xpubNodrop = (boolean) v, o -> o.xpubNodrop);
    field(ZmqOption.XPUB_WELCOME_MSG, (o, v) -> o.xpubWelcomeMsg = (byte[]) v, o -> o.xpubWelcomeMsg);
    field(ZmqOption.INVERT_MATCHING, (o, v) -> o.invertMatching = (boolean) v, o -> o.invertMatching);
    field(ZmqOption.STREAM_NOTIFY, (o, v) -> o.streamNotify = (boolean) v, o -> o.streamNotify);
  }

  private PatternFields() {}

  private static void field(ZmqOption option, BiConsumer<PatternOptions, Object> store,
      Function<PatternOptions, Object> read) {
    FIELDS.put(option, new Field(store, read));
  }

  /** The field of {@code option}, or null for SUBSCRIBE, UNSUBSCRIBE and non-pattern options. */
  static Field of(ZmqOption option) {
    return FIELDS.get(option);
  }
}
