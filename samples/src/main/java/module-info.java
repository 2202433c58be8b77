/**
 * The pzmq command line, seed programs and benchmarks: users of the public API only (picocli reads
 * the command classes by reflection, so their packages are open to it).
 */
module pekko.zmq.samples {
  requires pekko.zmq.streams;
  requires pekko.zmq.monitor;
  requires info.picocli;
  requires org.zeromq.jeromq;
  requires java.management;
  requires jdk.management; // bench: process CPU and allocated bytes per message (PerfReport.Cost)
  requires jdk.jshell;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires pekko.cluster.typed; // samples/cluster: the gateway
  requires pekko.cluster;

  opens io.pekkozmq.samples.cli to info.picocli;
  opens io.pekkozmq.samples.seeds to info.picocli;
  // picocli reads the command; Pekko instantiates the serializer named in pzmq-cluster.conf
  opens io.pekkozmq.samples.cluster to info.picocli, pekko.actor;
  opens io.pekkozmq.samples.jupyter to info.picocli, com.fasterxml.jackson.databind;
}
