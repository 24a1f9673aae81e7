using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Actions;

/// <summary>
/// A field action that publishes a locally differentially private version of the value (event-level DP). Each
/// event's noised field costs its unit <see cref="Epsilon"/>, <see cref="Delta"/>; noise is keyed by the record's
/// source coordinates so a replayed record gets the same noise.
/// </summary>
/// <param name="Epsilon">The ε one event's field costs.</param>
/// <param name="Delta">The δ one event's field costs (0 for pure ε).</param>
public abstract record NoiseFieldAction(Epsilon Epsilon, Delta Delta) : FieldAction;
