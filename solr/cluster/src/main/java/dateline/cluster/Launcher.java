package dateline.cluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Starts a local SolrCloud of real Solr nodes (Jetty) and an embedded ZooKeeper, for Dateline's
 * tests and for trying Dateline out. It is a test cluster: one JVM, no security, data under one
 * directory.
 *
 * <p>Protocol on standard output, one line each: {@code ZK host:port}, {@code NODE i URL} for each
 * node, then {@code READY URL...}. Commands on standard input: {@code stop I}, {@code start I},
 * {@code status}, {@code quit}. The end of standard input shuts the cluster down too, so a test
 * that dies takes its cluster with it; {@code --detach} ignores standard input and waits for a
 * signal instead (for {@code cluster up}).
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws Exception {
    int nodes = 2;
    Path dir = null;
    boolean detach = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--detach" -> detach = true;
        default -> {
          System.err.println("usage: Launcher [--nodes N] [--dir DIR] [--detach]");
          System.exit(2);
        }
      }
    }
    if (nodes < 1) {
      System.err.println("--nodes: need at least 1");
      System.exit(2);
    }
    if (dir == null) {
      dir = Files.createTempDirectory("dateline-solr");
    }
    Files.createDirectories(dir);
    System.setProperty("solr.log.dir", dir.resolve("logs").toString());
    // Keeps a restarted node on its old port, so clients holding its URL find it again.
    System.setProperty("jetty.testMode", "true");

    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    // Ports are chosen by the system; the NODE lines (and DIR/nodes) tell them.
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster.Builder(nodes, dir).withJettyConfig(b -> b.setPort(0)).build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(cluster)));

    out.println("ZK " + cluster.getZkServer().getZkAddress());
    // Our own list: the cluster's forgets a node stopped by index.
    List<JettySolrRunner> runners = List.copyOf(cluster.getJettySolrRunners());
    StringBuilder ready = new StringBuilder("READY");
    for (int i = 0; i < runners.size(); i++) {
      out.println("NODE " + i + " " + runners.get(i).getBaseUrl());
      ready.append(' ').append(runners.get(i).getBaseUrl());
    }
    out.println(ready);
    Files.writeString(dir.resolve("nodes"), ready.substring("READY ".length()) + "\n");

    if (detach) {
      new CountDownLatch(1).await();
      return;
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      try {
        switch (words[0]) {
          case "" -> {}
          case "stop" -> {
            int i = Integer.parseInt(words[1]);
            JettySolrRunner runner = runners.get(i);
            cluster.stopJettySolrRunner(runner);
            cluster.waitForJettyToStop(runner);
            out.println("STOPPED " + i);
          }
          case "start" -> {
            int i = Integer.parseInt(words[1]);
            JettySolrRunner runner = runners.get(i);
            if (runner.isRunning()) {
              out.println("ERROR node " + i + " is running");
            } else {
              cluster.startJettySolrRunner(runner, true);
              cluster.waitForNode(runner, 60);
              out.println("STARTED " + i + " " + runner.getBaseUrl());
            }
          }
          case "status" -> {
            for (int i = 0; i < runners.size(); i++) {
              JettySolrRunner r = runners.get(i);
              out.println("NODE " + i + " " + r.getBaseUrl() + (r.isRunning() ? " up" : " down"));
            }
            out.println("OK");
          }
          case "quit" -> {
            shutdown(cluster);
            out.println("BYE");
            System.exit(0);
          }
          default -> out.println("ERROR unknown command: " + words[0]);
        }
      } catch (Exception e) {
        out.println("ERROR " + words[0] + ": " + e);
      }
    }
    shutdown(cluster);
    out.println("BYE");
    System.exit(0);
  }

  private static synchronized void shutdown(MiniSolrCloudCluster cluster) {
    try {
      cluster.shutdown();
    } catch (Exception e) {
      System.err.println("shutdown: " + e);
    }
  }
}
