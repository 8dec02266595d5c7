using System;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Onnx.Tests.Hostile;

/// <summary>
/// Every prefix of a valid model and thousands of seeded byte flips: each import returns or
/// throws <see cref="ProtobufFormatException"/> / <see cref="OnnxImportException"/> naming the
/// file, never anything else (an IndexOutOfRange, DivideByZero or internal-error wrapper fails).
/// </summary>
public sealed class CorruptedFileTests
{
    [Fact]
    public void Every_truncation_of_a_valid_model_is_refused_with_a_documented_exception()
    {
        byte[] bytes = HostileModels.Valid().ToBytes();
        Assert.Null(HostileModels.ImportOrDocumentedError(bytes));
        int imported = 0;
        for (int length = 0; length < bytes.Length; length++)
        {
            if (HostileModels.ImportOrDocumentedError(bytes.AsSpan(0, length)) is null)
            {
                // A cut at a field boundary can leave a well-formed model; the only one that imports
                // is the cut of the trailing opset_import, which keeps the whole graph.
                Assert.Equal(6, OnnxModel.Parse(bytes.AsSpan(0, length)).Graph.Nodes.Count);
                imported++;
            }
        }
        Assert.InRange(imported, 0, 1);
    }

    [Fact]
    public void Seeded_byte_flips_of_a_valid_model_never_escape_the_documented_exceptions()
    {
        byte[] valid = HostileModels.Valid().ToBytes();
        var random = new Random(20261205);
        int protobufErrors = 0, importErrors = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            byte[] bytes = (byte[])valid.Clone();
            int flips = 1 + random.Next(3);
            for (int i = 0; i < flips; i++)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
            }
            switch (HostileModels.ImportOrDocumentedError(bytes))
            {
                case ProtobufFormatException: protobufErrors++; break;
                case OnnxImportException: importErrors++; break;
            }
        }
        // Both layers are exercised: flips in structure break the protobuf, flips in values the import.
        Assert.True(protobufErrors > 100 && importErrors > 100, $"{protobufErrors} protobuf errors, {importErrors} import errors");
    }
}
