/** Socket events as streams and libzmq-format monitor sockets. */
module pekko.zmq.monitor {
  requires transitive pekko.zmq.actors;
  requires transitive pekko.stream;

  exports io.pekkozmq.monitor;
}
