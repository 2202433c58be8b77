package io.pekkozmq.actors.impl;

import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One socket's monitor subscribers, and the flow control of events to each (libzmq's
 * socket_base_t monitor state, for any number of subscribers). Thread-safe: listeners,
 * connecters, sessions and engines report straight into it from their I/O threads, under one
 * lock, so every subscriber sees the socket's events in one order, and events reported by a child
 * actor before it stopped always precede the MONITOR_STOPPED the socket sends when it stops.
 *
 * <p>Bounded: a subscriber receives at most the demand it has granted (an initial demand, then
 * {@link #request}). Further events wait in a per-subscriber buffer of {@code bufferLimit}
 * events; when it is full the oldest is dropped, and the next event delivered to that subscriber
 * says in {@link SocketEvent#dropped()} how many were lost just before it. The socket never waits
 * for a subscriber. MONITOR_STOPPED ends every subscription exactly once, whatever the mask, after
 * the buffered events and regardless of demand.
 */
public final class MonitorHub {
  private static final class Subscription {
    long mask;
    long demand;
    final ArrayDeque<SocketEvent> buffer = new ArrayDeque<>();
    /** Events dropped since the last one delivered; reported on the next delivery. */
    long droppedSinceDelivery;

    Subscription(long mask, long demand) {
      this.mask = mask;
      this.demand = demand;
    }
  }

  private final String socketId;
  private final long defaultDemand;
  private final int bufferLimit;
  private final Map<ActorRef<SocketEvent>, Subscription> subscriptions = new LinkedHashMap<>();
  private final EventSink bindSink = sinkFor(true);
  private final EventSink connectSink = sinkFor(false);
  /** Union of all masks: an event nobody asked for costs one volatile read, no lock. */
  private volatile long unionMask;
  private boolean stopped;

  /**
   * @param defaultDemand demand of a subscription that does not state one
   * @param bufferLimit events kept per subscriber beyond its demand (0: drop at once)
   */
  public MonitorHub(String socketId, long defaultDemand, int bufferLimit) {
    if (defaultDemand < 0 || bufferLimit < 0) {
      throw new IllegalArgumentException("monitor demand and buffer must not be negative: " + defaultDemand + ", " + bufferLimit);
    }
    this.socketId = socketId;
    this.defaultDemand = defaultDemand;
    this.bufferLimit = bufferLimit;
  }

  /** The sink for events of bound endpoints ({@code true}) or of connected ones. */
  public EventSink sink(boolean bindSide) {
    return bindSide ? bindSink : connectSink;
  }

  private EventSink sinkFor(boolean bindSide) {
    return new EventSink() {
      @Override
      public void emit(EventType type, long value, String local, String remote) {
        publish(type, new long[] {value}, local, remote, bindSide);
      }

      @Override
      public void emit(EventType type, long[] values, String local, String remote) {
        publish(type, values.clone(), local, remote, bindSide);
      }
    };
  }

  /** Whether some subscriber's mask includes {@code type}. */
  public boolean wants(EventType type) {
    return type.in(unionMask);
  }

  /**
   * Subscribes {@code subscriber} (again: replaces its mask and adds the demand).
   *
   * @param demand events it may receive before it asks for more; negative: the default
   */
  public synchronized void subscribe(ActorRef<SocketEvent> subscriber, long mask, long demand) {
    if (stopped) {
      subscriber.tell(stoppedEvent(0));
      return;
    }
    long d = demand < 0 ? defaultDemand : demand;
    Subscription s = subscriptions.get(subscriber);
    if (s == null) {
      subscriptions.put(subscriber, new Subscription(mask, d));
    } else {
      s.mask = mask;
      s.demand = saturatedAdd(s.demand, d);
      deliverBuffered(subscriber, s, false);
    }
    recomputeMask();
  }

  /** {@code subscriber} can take {@code n} more events. */
  public synchronized void request(ActorRef<SocketEvent> subscriber, long n) {
    Subscription s = subscriptions.get(subscriber);
    if (s == null || n <= 0) return;
    s.demand = saturatedAdd(s.demand, n);
    deliverBuffered(subscriber, s, false);
  }

  /** Ends one subscription with MONITOR_STOPPED; false if it did not exist. */
  public synchronized boolean unsubscribe(ActorRef<SocketEvent> subscriber) {
    Subscription s = subscriptions.remove(subscriber);
    if (s == null) return false;
    recomputeMask();
    finish(subscriber, s);
    return true;
  }

  /** Drops a subscription without a word (its actor is gone). */
  public synchronized void forget(ActorRef<SocketEvent> subscriber) {
    if (subscriptions.remove(subscriber) != null) recomputeMask();
  }

  /** The socket has stopped: MONITOR_STOPPED to every subscriber; later events go nowhere. */
  public synchronized void stop() {
    if (stopped) return;
    stopped = true;
    unionMask = 0;
    for (Map.Entry<ActorRef<SocketEvent>, Subscription> e : subscriptions.entrySet()) finish(e.getKey(), e.getValue());
    subscriptions.clear();
  }

  /** How many subscribers there are. */
  public synchronized int size() {
    return subscriptions.size();
  }

  private void publish(EventType type, long[] values, String local, String remote, boolean bindSide) {
    if (!type.in(unionMask)) return;
    synchronized (this) {
      if (stopped) return;
      SocketEvent event = null;
      for (Map.Entry<ActorRef<SocketEvent>, Subscription> e : subscriptions.entrySet()) {
        Subscription s = e.getValue();
        if (!type.in(s.mask)) continue;
        if (event == null) {
          event = SocketEvent.of(type, Arrays.stream(values).boxed().toList(), local, remote, bindSide, socketId);
        }
        offer(e.getKey(), s, event);
      }
    }
  }

  private void offer(ActorRef<SocketEvent> subscriber, Subscription s, SocketEvent event) {
    if (s.demand > 0 && s.buffer.isEmpty()) {
      s.demand--;
      deliver(subscriber, s, event);
      return;
    }
    if (bufferLimit == 0) {
      s.droppedSinceDelivery++;
      return;
    }
    if (s.buffer.size() >= bufferLimit) {
      s.buffer.poll();
      s.droppedSinceDelivery++;
    }
    s.buffer.add(event);
  }

  private void deliverBuffered(ActorRef<SocketEvent> subscriber, Subscription s, boolean regardlessOfDemand) {
    while (!s.buffer.isEmpty() && (regardlessOfDemand || s.demand > 0)) {
      if (!regardlessOfDemand) s.demand--;
      deliver(subscriber, s, s.buffer.poll());
    }
  }

  private void deliver(ActorRef<SocketEvent> subscriber, Subscription s, SocketEvent event) {
    long lost = s.droppedSinceDelivery;
    s.droppedSinceDelivery = 0;
    subscriber.tell(event.withDropped(lost));
  }

  private void finish(ActorRef<SocketEvent> subscriber, Subscription s) {
    // what is buffered is bounded, so it may go out past the demand; then the end marker
    deliverBuffered(subscriber, s, true);
    deliver(subscriber, s, stoppedEvent(0));
  }

  private SocketEvent stoppedEvent(long value) {
    return SocketEvent.of(EventType.MONITOR_STOPPED, value, "", "", socketId);
  }

  private void recomputeMask() {
    long m = 0;
    for (Subscription s : subscriptions.values()) m |= s.mask;
    unionMask = m;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }
}
