package io.pekkozmq.actors.impl.socket;

import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.actors.impl.session.Session;
import io.pekkozmq.actors.impl.transport.Listener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A socket's books on its endpoints, touched by the socket actor only: the listeners serving what
 * it bound, the sessions serving what it connected, which session holds the peer of each pipe,
 * and its inproc names. libzmq's socket_base_t keeps the same maps (_endpoints, _inprocs).
 */
public final class SocketEndpoints {
  /** Bound address (as resolved, and as asked when different) -> its listener. */
  private final Map<String, ActorRef<Listener.Command>> listeners = new LinkedHashMap<>();
  /** Connected endpoint, as given -> its sessions (one per connect). */
  private final Map<String, List<ActorRef<Session.Command>>> connections = new HashMap<>();
  /** Socket-side pipe end -> the session holding its peer. */
  private final Map<Pipe.End, ActorRef<Session.Command>> pipeSessions = new HashMap<>();
  private final List<String> inprocBound = new ArrayList<>();
  private final Map<String, List<Pipe.End>> inprocConnected = new HashMap<>();

  // ---- tcp / ipc ----------------------------------------------------------------------------

  /** {@code listener} serves {@code uri}, also known as {@code requested} (a wildcard port, say). */
  public void bound(String uri, String requested, ActorRef<Listener.Command> listener) {
    listeners.put(uri, listener);
    if (!uri.equals(requested)) listeners.put(requested, listener);
  }

  /** Forgets the listener of {@code endpoint} under every name it has; null when none. */
  public ActorRef<Listener.Command> unbind(String endpoint) {
    ActorRef<Listener.Command> l = listeners.remove(endpoint);
    if (l != null) listeners.values().removeIf(x -> x.equals(l));
    return l;
  }

  /** Every listener, once each. */
  public Set<ActorRef<Listener.Command>> listeners() {
    return new LinkedHashSet<>(listeners.values());
  }

  public void connected(String endpoint, ActorRef<Session.Command> session) {
    connections.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(session);
  }

  /** Forgets the sessions of {@code endpoint}; null when it is not connected. */
  public List<ActorRef<Session.Command>> disconnect(String endpoint) {
    return connections.remove(endpoint);
  }

  /** The sessions of every connected endpoint. */
  public List<ActorRef<Session.Command>> connectSessions() {
    List<ActorRef<Session.Command>> all = new ArrayList<>();
    for (Collection<ActorRef<Session.Command>> ss : connections.values()) all.addAll(ss);
    return all;
  }

  /** A child (listener or connect-side session) has stopped. */
  public void childStopped(ActorRef<?> child) {
    listeners.values().removeIf(l -> l.equals(child));
    connections.values().forEach(list -> list.removeIf(s -> s.equals(child)));
  }

  // ---- pipes --------------------------------------------------------------------------------

  public void pipeHeldBy(Pipe.End socketEnd, ActorRef<Session.Command> session) {
    pipeSessions.put(socketEnd, session);
  }

  /** The session holding the peer of {@code socketEnd}; null for inproc pipes. */
  public ActorRef<Session.Command> sessionOf(Pipe.End socketEnd) {
    return pipeSessions.get(socketEnd);
  }

  /** Forgets the pipes whose peers {@code session} holds, and returns their socket-side ends. */
  public List<Pipe.End> forgetPipesOf(ActorRef<Session.Command> session) {
    List<Pipe.End> ends = new ArrayList<>();
    pipeSessions.entrySet().removeIf(e -> {
      if (!e.getValue().equals(session)) return false;
      ends.add(e.getKey());
      return true;
    });
    return ends;
  }

  /** Forgets {@code socketEnd}; returns the session that held its peer, or null. */
  public ActorRef<Session.Command> pipeGone(Pipe.End socketEnd) {
    return pipeSessions.remove(socketEnd);
  }

  // ---- inproc -------------------------------------------------------------------------------

  public void inprocBound(String name) {
    inprocBound.add(name);
  }

  /** False when {@code name} is not bound here. */
  public boolean inprocUnbound(String name) {
    return inprocBound.remove(name);
  }

  /** Every inproc name bound here; the list is emptied. */
  public List<String> takeInprocBound() {
    List<String> names = new ArrayList<>(inprocBound);
    inprocBound.clear();
    return names;
  }

  /** The inproc names still bound (for a last unbind after a stop the socket did not ask for). */
  public List<String> inprocBoundNames() {
    return List.copyOf(inprocBound);
  }

  public void inprocConnected(String name, Pipe.End mine) {
    inprocConnected.computeIfAbsent(name, k -> new ArrayList<>()).add(mine);
  }

  /** Forgets the pipes connected to {@code name}; null when not connected. */
  public List<Pipe.End> inprocDisconnect(String name) {
    return inprocConnected.remove(name);
  }

  /** The inproc name {@code end} is connected to, or null (a pipe some peer connected to us). */
  public String inprocNameOf(Pipe.End end) {
    for (Map.Entry<String, List<Pipe.End>> e : inprocConnected.entrySet()) {
      if (e.getValue().contains(end)) return e.getKey();
    }
    return null;
  }
}
