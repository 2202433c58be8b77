package io.pekkozmq.samples.cli;

import io.pekkozmq.engine.security.CurveKeys;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** A fresh CURVE key pair, in the layout of libzmq's {@code curve_keygen} (without its introduction). */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Print a new CURVE key pair (Z85), as libzmq's curve_keygen: '== CURVE PUBLIC KEY ==', the key,"
        + " then '== CURVE SECRET KEY ==' and the key.")
final class KeygenCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    CurveKeys pair = CurveKeys.generate();
    // curve_keygen's puts() calls: each block starts with an empty line, each line ends with \n
    System.out.print("\n== CURVE PUBLIC KEY ==\n" + pair.publicZ85() + "\n\n== CURVE SECRET KEY ==\n" + pair.secretZ85() + "\n");
    System.out.flush();
    return Pzmq.OK;
  }
}
