namespace StreamMasking.Benchmarks;

/// <summary>Summaries the end-to-end harnesses print over their rounds.</summary>
internal static class HarnessStatistics
{
    /// <summary>The median (mean of the middle two for an even count).</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
