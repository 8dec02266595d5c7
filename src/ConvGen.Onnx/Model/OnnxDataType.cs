namespace ConvGen.Onnx.Model;

/// <summary><c>TensorProto.DataType</c> values (onnx.proto); only those ConvGen meets are named.</summary>
public enum OnnxDataType
{
    /// <summary>Not set.</summary>
    Undefined = 0,
    /// <summary>32-bit IEEE float.</summary>
    Float = 1,
    /// <summary>Unsigned byte.</summary>
    UInt8 = 2,
    /// <summary>Signed byte.</summary>
    Int8 = 3,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,
    /// <summary>64-bit signed integer (shapes, axes).</summary>
    Int64 = 7,
    /// <summary>UTF-8 strings.</summary>
    String = 8,
    /// <summary>Booleans.</summary>
    Bool = 9,
    /// <summary>16-bit IEEE float.</summary>
    Float16 = 10,
    /// <summary>64-bit IEEE float.</summary>
    Double = 11,
}

/// <summary><c>AttributeProto.AttributeType</c> values.</summary>
public enum OnnxAttributeType
{
    /// <summary>Not set (old writers leave it out; the reader then infers it from the filled field).</summary>
    Undefined = 0,
    /// <summary><c>f</c>.</summary>
    Float = 1,
    /// <summary><c>i</c>.</summary>
    Int = 2,
    /// <summary><c>s</c>.</summary>
    String = 3,
    /// <summary><c>t</c>.</summary>
    Tensor = 4,
    /// <summary><c>g</c>.</summary>
    Graph = 5,
    /// <summary><c>floats</c>.</summary>
    Floats = 6,
    /// <summary><c>ints</c>.</summary>
    Ints = 7,
    /// <summary><c>strings</c>.</summary>
    Strings = 8,
    /// <summary><c>tensors</c>.</summary>
    Tensors = 9,
    /// <summary><c>graphs</c>.</summary>
    Graphs = 10,
}
