using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Emit.Training;

/// <summary>Writes the training-only kernels: linear forward variants (the activation is kept separately) and the gradients, each kind its own.</summary>
internal static class TrainingKernelsEmitter
{
    public static void Emit(IndentedTextWriter w, NetworkModel model, LayerTable<ILayerEmitter> layers)
    {
        foreach (var l in model.Layers)
        {
            layers[l.Kind].WriteTrainingKernels(w, l);
        }
    }
}
