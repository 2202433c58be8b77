package io.pekkozmq.samples.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One per member: registers under {@link #KEY} with the Receptionist, so the gateway finds it on
 * whichever member the gateway runs, and answers each job with the request's frames followed by
 * {@code node=<its member's port>} and {@code gateway=<the gateway member's port>}.
 */
public final class Worker {
  /** The service every member's worker registers under. */
  public static final ServiceKey<Job> KEY = ServiceKey.create(Job.class, "pzmq-gateway-worker");

  /**
   * A request's frames (without the ROUTER's envelope, which stays with the gateway) and where to
   * answer. {@code gatewayPort} rides along so the answer can name the gateway's member.
   */
  public record Job(long id, List<byte[]> frames, int gatewayPort, ActorRef<Gateway.Answer> replyTo)
      implements GatewayMessage {}

  private Worker() {}

  /** A worker on the member whose Artery port is {@code nodePort}. */
  public static Behavior<Job> create(int nodePort) {
    byte[] node = ("node=" + nodePort).getBytes(StandardCharsets.US_ASCII);
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
      return Behaviors.receiveMessage(job -> {
        List<byte[]> answer = new ArrayList<>(job.frames().size() + 2);
        answer.addAll(job.frames());
        answer.add(node);
        answer.add(("gateway=" + job.gatewayPort()).getBytes(StandardCharsets.US_ASCII));
        job.replyTo().tell(new Gateway.Answer(job.id(), answer));
        return Behaviors.same();
      });
    });
  }
}
