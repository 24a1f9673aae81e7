using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>A differentially private top-k selection: the chosen candidates in selection order.</summary>
/// <param name="Selected">Chosen candidates, best-first as selected.</param>
/// <param name="Mechanism">Mechanism name.</param>
/// <param name="Epsilon">Total ε (k selections at ε/k each, sequential composition).</param>
/// <param name="Delta">Always 0: permute-and-flip is pure ε-DP.</param>
/// <param name="ScoreSensitivity">Largest change of one candidate's score when one unit is added or removed.</param>
public sealed record TopKRelease(
    IReadOnlyList<string> Selected,
    string Mechanism,
    Epsilon Epsilon,
    Delta Delta,
    double ScoreSensitivity);
