namespace StreamMasking.Host.Tests.Support;

/// <summary>Policies for the end-to-end tests, derived from the shipped demo policy.</summary>
internal static class TestPolicies
{
    /// <summary>The shipped demo policy, as copied next to the binary.</summary>
    internal static string DemoPolicyPath => Path.Combine(AppContext.BaseDirectory, "policies", "demo.yaml");

    /// <summary>
    /// Writes the demo policy with every deliberate drop turned into a visible outcome (over-cap records published
    /// without noised fields, late records dead-lettered), so that each input record ends up on a masked or the
    /// dead-letter topic and a test can count them all there. Returns the file's path.
    /// </summary>
    internal static string DemoWithoutDrops(string directory)
    {
        var text = File.ReadAllText(DemoPolicyPath);
        text.ShouldContain("overCap: drop");
        text.ShouldContain("late: drop");
        var path = Path.Combine(directory, "demo-without-drops.yaml");
        File.WriteAllText(path, text
            .Replace("overCap: drop", "overCap: strip-noised-fields", StringComparison.Ordinal)
            .Replace("late: drop", "late: dead-letter", StringComparison.Ordinal));
        return path;
    }

    /// <summary>
    /// The demo policy with clinic-b.eu.visits on an (ε, δ) budget instead of pure ε, so that one policy exercises
    /// every budget currency: ε (pure), ε and δ (approximate), ρ (zCDP). Returns the file's path.
    /// </summary>
    internal static string DemoWithEveryBudgetKind(string directory)
    {
        var text = File.ReadAllText(DemoPolicyPath);
        const string pure = "      perWindow: { epsilon: 0.5 }\n      lifetime: { epsilon: 12 }\n";
        text.ShouldContain(pure);
        var path = Path.Combine(directory, "demo-every-budget-kind.yaml");
        File.WriteAllText(path, text.Replace(pure,
            "      perWindow: { epsilon: 0.5, delta: 1e-6 }\n      lifetime: { epsilon: 12, delta: 1e-5 }\n", StringComparison.Ordinal));
        return path;
    }
}
