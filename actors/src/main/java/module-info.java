/**
 * The runtime. Applications use {@code io.pekkozmq.actors}; the data-plane SPI is for this project's
 * streams and monitor modules only, and everything under {@code impl} stays inside.
 */
module pekko.zmq.actors {
  requires transitive pekko.zmq.engine;
  requires transitive pekko.actor.typed;
  requires transitive pekko.actor;
  requires scala.library;
  requires org.slf4j;
  requires transitive typesafe.config;
  requires org.jctools.core;
  requires jdk.net;
  requires java.management;

  exports io.pekkozmq.actors;
  exports io.pekkozmq.actors.security;
  // Pekko instantiates the serializer (reference.conf) by reflection
  exports io.pekkozmq.actors.serialization;
  exports io.pekkozmq.actors.spi to pekko.zmq.monitor, pekko.zmq.streams;
}
