package org.sparklinear.ml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Fetch;
import org.apache.spark.connect.proto.MlCommand;
import org.apache.spark.connect.proto.MlCommandResult;
import org.apache.spark.connect.proto.ObjectRef;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.apache.spark.connect.proto.UserContext;
import org.sparkproject.connect.grpc.ManagedChannel;
import org.sparkproject.connect.grpc.ManagedChannelBuilder;

/**
 * One Spark Connect session's requests as {@code pyspark.ml}'s client makes them, over gRPC with the stub and protos
 * of Spark's own Connect jar (the Python client is not installable on this machine's package index).
 */
final class ConnectClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final SparkConnectServiceGrpc.SparkConnectServiceBlockingStub stub;
  private final String session = UUID.randomUUID().toString();

  ConnectClient(int port) {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    stub = SparkConnectServiceGrpc.newBlockingStub(channel);
  }

  /** Runs {@code command} to its end; a server error is thrown as the client sees it. */
  List<ExecutePlanResponse> execute(Command.Builder command) {
    Iterator<ExecutePlanResponse> responses = stub.executePlan(ExecutePlanRequest.newBuilder().setSessionId(session)
        .setUserContext(UserContext.newBuilder().setUserId("python")).setPlan(Plan.newBuilder().setCommand(command))
        .build());
    List<ExecutePlanResponse> all = new ArrayList<>();
    responses.forEachRemaining(all::add);
    return all;
  }

  MlCommandResult ml(MlCommand.Builder command) {
    for (ExecutePlanResponse r : execute(Command.newBuilder().setMlCommand(command))) {
      if (r.hasMlCommandResult()) {
        return r.getMlCommandResult();
      }
    }
    throw new AssertionError("no ML result for " + command);
  }

  /** A model attribute, as the Python model's methods and properties fetch them. */
  Expression.Literal call(ObjectRef model, String method) {
    return ml(MlCommand.newBuilder().setFetch(Fetch.newBuilder().setObjRef(model)
        .addMethods(Fetch.Method.newBuilder().setMethod(method)))).getParam();
  }

  static Expression.Literal text(String v) {
    return Expression.Literal.newBuilder().setString(v).build();
  }

  /** Python's int: always a long on the wire. */
  static Expression.Literal integer(long v) {
    return Expression.Literal.newBuilder().setLong(v).build();
  }

  static Expression.Literal real(double v) {
    return Expression.Literal.newBuilder().setDouble(v).build();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
