package org.sparklinear.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A graph under construction, over ONNX's own protobuf classes: named inputs, outputs, constant tensors and nodes of
 * standard operators, each node's output named after the step it computes. A leading dimension given as
 * {@code -1} is the batch, named {@code N}.
 */
final class OnnxGraph {
  static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
  static final int INT64 = TensorProto.DataType.INT64_VALUE;

  private final GraphProto.Builder graph;

  OnnxGraph(String name) {
    graph = GraphProto.newBuilder().setName(name);
  }

  void input(String name, int type, long... dims) {
    graph.addInput(valueInfo(name, type, dims));
  }

  void output(String name, int type, long... dims) {
    graph.addOutput(valueInfo(name, type, dims));
  }

  /** A constant float tensor (little-endian raw data, as ONNX stores it). */
  String constant(String name, float[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return constant(name, FLOAT, bytes, dims);
  }

  String constant(String name, double[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asDoubleBuffer().put(values);
    return constant(name, DOUBLE, bytes, dims);
  }

  private String constant(String name, int type, ByteBuffer bytes, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(
        ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** A node of {@code op} computing {@code output} from {@code inputs}; returns {@code output}. */
  String node(String op, String output, String[] inputs, AttributeProto... attributes) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
    for (String in : inputs) {
      n.addInput(in);
    }
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return output;
  }

  static String[] in(String... names) {
    return names;
  }

  static AttributeProto intAttribute(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  GraphProto build() {
    return graph.build();
  }

  private static ValueInfoProto valueInfo(String name, int type, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
  }
}
