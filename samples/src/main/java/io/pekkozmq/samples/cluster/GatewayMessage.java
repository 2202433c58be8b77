package io.pekkozmq.samples.cluster;

/**
 * The messages that travel between members on the gateway's behalf ({@link Worker.Job},
 * {@link Gateway.Answer}): bound to {@link GatewaySerializer} in {@code pzmq-cluster.conf}.
 */
public interface GatewayMessage {}
