// A private standalone HBase for chirp's tests in ONE JVM: ZooKeeper (MiniZooKeeperCluster), a
// master and a region server (LocalHBaseCluster) and the Thrift2 gateway, all on loopback, all
// state under the directory named by hbase.tmp.dir in the hbase-site.xml on the classpath.
// One JVM instead of the usual three (ZooKeeper runs inside HMaster anyway) halves start time and
// memory. scripts/hbase.sh compiles and runs it.
//
// Usage: java ... ChirpHBase THRIFT_PORT THRIFT_READ_TIMEOUT_MS
// Prints "READY <port>" once the gateway answers a call that needs the master (listNamespaces and
// tableExists(hbase:meta)); exits with status 3 when the gateway cannot bind its port (the caller
// retries with another one) and 1 on any other start failure.
import java.net.BindException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.LocalHBaseCluster;
import org.apache.hadoop.hbase.master.HMaster;
import org.apache.hadoop.hbase.regionserver.HRegionServer;
import org.apache.hadoop.hbase.thrift2.ThriftServer;
import org.apache.hadoop.hbase.thrift2.generated.THBaseService;
import org.apache.hadoop.hbase.thrift2.generated.TTableName;
import org.apache.hadoop.hbase.zookeeper.MiniZooKeeperCluster;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;

public final class ChirpHBase {
  private static final long START_TIMEOUT_MS = 170_000;

  public static void main(String[] args) throws Exception {
    int thriftPort = Integer.parseInt(args[0]);
    String readTimeoutMs = args.length > 1 ? args[1] : "600000";
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    Configuration conf = HBaseConfiguration.create();

    // No default port: ZooKeeper picks a random one itself (and moves on when it is taken).
    MiniZooKeeperCluster zk = new MiniZooKeeperCluster(conf);
    int zkPort = zk.startup(new java.io.File(conf.get("hbase.zookeeper.property.dataDir")));
    conf.setInt(HConstants.ZOOKEEPER_CLIENT_PORT, zkPort);

    // LocalHBaseCluster puts the master and region server RPC on port 0 (random free ports).
    LocalHBaseCluster cluster =
        new LocalHBaseCluster(conf, 1, 1, HMaster.class, HRegionServer.class);
    cluster.startup();

    ThriftServer gateway = new ThriftServer(conf);
    final Throwable[] gatewayFailure = new Throwable[1];
    Thread gatewayThread = new Thread(() -> {
      try {
        gateway.run(new String[] {"-b", "127.0.0.1", "-p", Integer.toString(thriftPort),
            "--infoport", "-1", "-t", readTimeoutMs, "start"});
      } catch (Throwable t) {
        gatewayFailure[0] = t;
      }
    }, "chirp-thrift2-gateway");
    gatewayThread.setDaemon(true);
    gatewayThread.start();

    while (true) {
      if (!gatewayThread.isAlive()) {
        Throwable t = gatewayFailure[0];
        System.out.println("FAILED gateway stopped: " + t);
        System.out.flush();
        Runtime.getRuntime().halt(isBindFailure(t) ? 3 : 1);
      }
      if (cluster.getLiveMasters().isEmpty()) {
        System.out.println("FAILED master exited (see the log)");
        System.out.flush();
        Runtime.getRuntime().halt(1);
      }
      // getTserver() is set only once our gateway has bound its port: without that check the
      // probe could reach another process's gateway on a port taken meanwhile.
      if (gateway.getTserver() != null && gatewayThread.isAlive() && answers(thriftPort)) {
        break;
      }
      if (System.currentTimeMillis() > deadline) {
        System.out.println("FAILED not ready within " + START_TIMEOUT_MS / 1000 + " s");
        System.out.flush();
        Runtime.getRuntime().halt(1);
      }
      Thread.sleep(200);
    }
    System.out.println("READY " + thriftPort);
    System.out.flush();
    // Not cluster.join(): it prints a thread dump every minute. Runs until killed; exits when the
    // master or the gateway dies, so that a broken server does not look alive to its pid.
    while (true) {
      Thread.sleep(1000);
      if (cluster.getLiveMasters().isEmpty() || !gatewayThread.isAlive()) {
        System.out.println("EXITING the master or the gateway stopped (see the log)");
        System.out.flush();
        Runtime.getRuntime().halt(1);
      }
    }
  }

  // The gateway is useful only once the master is initialized and hbase:meta is online: these two
  // calls fail before that.
  private static boolean answers(int port) {
    try (TSocket socket = new TSocket(new TConfiguration(), "127.0.0.1", port, 5000)) {
      socket.open();
      THBaseService.Client client = new THBaseService.Client(new TBinaryProtocol(socket));
      List<String> namespaces = client.listNamespaces();
      return namespaces.contains("default")
          && client.tableExists(new TTableName().setNs("hbase".getBytes())
                                     .setQualifier("meta".getBytes()));
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean isBindFailure(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Could not create ServerSocket"))) {
        return true;
      }
    }
    return false;
  }
}
