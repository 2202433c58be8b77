/** The protocol: ZMTP 3.1 codec, mechanisms, socket patterns, monitor events. Plain Java, no actors. */
module pekko.zmq.engine {
  requires org.bouncycastle.provider;
  exports io.pekkozmq.engine;
  exports io.pekkozmq.engine.event;
  exports io.pekkozmq.engine.pattern;
  exports io.pekkozmq.engine.security;
  exports io.pekkozmq.engine.zmtp;
}
