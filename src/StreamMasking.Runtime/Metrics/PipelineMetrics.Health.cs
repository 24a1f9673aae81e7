namespace StreamMasking.Runtime.Metrics;

/// <summary>Liveness and readiness, from what the pipeline reported.</summary>
public sealed partial class PipelineMetrics
{
    /// <summary>
    /// Live while the pipeline runs and every poll loop (each stream thread of each stage, or its restore) made
    /// progress within <paramref name="bound"/>.
    /// </summary>
    public HealthReport Liveness(TimeSpan bound)
    {
        var reasons = new List<string>();
        if (_stopped)
        {
            reasons.Add("the pipeline stopped");
        }

        var now = NowMs();
        foreach (var (stage, state) in _stages.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var idle = TimeSpan.FromMilliseconds(now - state.OldestLoopProgressMs);
            if (idle > bound)
            {
                reasons.Add($"stage {stage}: no poll-loop progress for {idle.TotalSeconds:0} s (bound {bound.TotalSeconds:0} s)");
            }
        }

        return new HealthReport(reasons.Count == 0, reasons, Assignments());
    }

    /// <summary>Ready when the policy is loaded, every input topic exists, every stage joined its group and no restore runs.</summary>
    public HealthReport Readiness()
    {
        var reasons = new List<string>();
        if (_stopped)
        {
            reasons.Add("the pipeline stopped");
        }

        if (!_policyLoaded)
        {
            reasons.Add("policy not loaded");
        }

        foreach (var topic in _missingTopics.Values.SelectMany(t => t).Order(StringComparer.Ordinal))
        {
            reasons.Add($"input topic {topic} does not exist (waiting for it)");
        }

        if (_stages.IsEmpty)
        {
            reasons.Add("pipeline not started");
        }

        foreach (var (stage, state) in _stages.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!state.Joined)
            {
                reasons.Add($"stage {stage}: no partitions assigned yet");
            }
        }

        foreach (var ((store, partition), restore) in _restoring.OrderBy(r => r.Key))
        {
            reasons.Add($"store {store}[{partition}]: restoring, {restore.Remaining} records remaining");
        }

        return new HealthReport(reasons.Count == 0, reasons, Assignments());
    }

    private Dictionary<string, int> Assignments() =>
        _stages.ToDictionary(s => s.Key, s => s.Value.Assigned, StringComparer.Ordinal);
}
