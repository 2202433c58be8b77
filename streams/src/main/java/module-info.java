/** ZeroMQ sockets as Pekko Streams sources, sinks and flows. */
module pekko.zmq.streams {
  requires transitive pekko.zmq.actors;
  requires transitive pekko.zmq.monitor;
  requires transitive pekko.stream;

  exports io.pekkozmq.streams;
  exports io.pekkozmq.streams.javadsl;
}
