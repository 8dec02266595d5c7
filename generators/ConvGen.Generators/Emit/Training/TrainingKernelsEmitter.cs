using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Shapes;

namespace ConvGen.Generators.Emit.Training;

/// <summary>Writes a layer's training-only entry points: linear forward variants (the activation is kept separately) and the gradients.</summary>
internal static class TrainingKernelsEmitter
{
    public static void EmitLayer(IndentedTextWriter w, LayerPlan l, Catalog.KernelCatalog catalog)
    {
        switch (l.Kind)
        {
            case LayerKind.Conv2D:
                if (TrainingMembersEmitter.LinearName(l) != KernelNames.MethodName(l))
                {
                    w.WriteLine();
                    Conv2DEmitter.Emit(w, l with { Activation = ActivationKind.Linear }, catalog, TrainingMembersEmitter.LinearName(l));
                }
                w.WriteLine();
                ConvBackwardEmitter.EmitWeightGradient(w, l, catalog);
                if (l.Source >= 0)
                {
                    w.WriteLine();
                    ConvBackwardEmitter.EmitInputGradient(w, l, catalog);
                }
                break;
            case LayerKind.Dense:
                if (TrainingMembersEmitter.LinearName(l) != KernelNames.MethodName(l))
                {
                    w.WriteLine();
                    DenseEmitter.Emit(w, l with { Activation = ActivationKind.Linear }, TrainingMembersEmitter.LinearName(l));
                }
                w.WriteLine();
                DenseBackwardEmitter.EmitWeightGradient(w, l);
                if (l.Source >= 0)
                {
                    w.WriteLine();
                    DenseBackwardEmitter.EmitInputGradient(w, l);
                }
                break;
            case LayerKind.Add:
                if (TrainingMembersEmitter.LinearName(l) != KernelNames.MethodName(l))
                {
                    w.WriteLine();
                    AddEmitter.Emit(w, l with { Activation = ActivationKind.Linear }, TrainingMembersEmitter.LinearName(l));
                }
                break;
            case LayerKind.MaxPool2D:
            case LayerKind.AvgPool2D:
            case LayerKind.GlobalMaxPool2D:
            case LayerKind.GlobalAvgPool2D:
                if (l.Source >= 0)
                {
                    w.WriteLine();
                    PoolBackwardEmitter.Emit(w, l);
                }
                break;
        }
    }
}
