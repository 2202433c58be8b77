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
 * whichever member the gateway runs, and answers each request with the request's frames followed
 * by {@code node=<its member's port>} and {@code gateway=<the gateway member's port>}.
 */
public final class Worker {
  /** The service every member's worker registers under. */
  public static final ServiceKey<Jobs> KEY = ServiceKey.create(Jobs.class, "pzmq-gateway-worker");

  /** One request: its frames without the ROUTER's envelope, which stays with the gateway. */
  public record Job(long id, List<byte[]> frames) {}

  /**
   * The requests of one delivery that the gateway gave this worker: one message between members
   * per worker and batch, not one per request. {@code gatewayPort} rides along so the answers can
   * name the gateway's member.
   */
  public record Jobs(List<Job> jobs, int gatewayPort, ActorRef<Gateway.Answers> replyTo) implements GatewayMessage {}

  private Worker() {}

  /** A worker on the member whose Artery port is {@code nodePort}. */
  public static Behavior<Jobs> create(int nodePort) {
    byte[] node = ("node=" + nodePort).getBytes(StandardCharsets.US_ASCII);
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
      return Behaviors.receiveMessage(batch -> {
        byte[] gateway = ("gateway=" + batch.gatewayPort()).getBytes(StandardCharsets.US_ASCII);
        List<Gateway.Answer> answers = new ArrayList<>(batch.jobs().size());
        for (Job job : batch.jobs()) {
          List<byte[]> answer = new ArrayList<>(job.frames().size() + 2);
          answer.addAll(job.frames());
          answer.add(node);
          answer.add(gateway);
          answers.add(new Gateway.Answer(job.id(), answer));
        }
        batch.replyTo().tell(new Gateway.Answers(answers));
        return Behaviors.same();
      });
    });
  }
}
