using StreamMasking.Core.Policy;

namespace StreamMasking.Runtime.Configuration;

/// <summary>
/// Validates the settings that only the policy makes wrong (an Avro output without a schema registry, a segment keyed
/// by the input key on input already keyed by segment), so that they are reported at start with every other bad
/// setting instead of one at a time from the pipeline's constructor.
/// </summary>
public static class PolicyOptionsValidator
{
    private const string Root = StreamMaskingOptions.SectionName;

    /// <summary>Returns every setting the policy makes invalid (empty when none). Does no I/O.</summary>
    /// <param name="options">The options to check; <see cref="StreamMaskingOptionsValidator"/> checks them alone.</param>
    /// <param name="policy">The loaded, valid policy.</param>
    public static IReadOnlyList<OptionsError> Validate(StreamMaskingOptions options, PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<OptionsError>();
        var p = options.Pipeline;
        // The policy loader refuses such names already; this holds for policies built another way.
        foreach (var segment in policy.Segments)
        {
            if (!TopicNameRules.IsValid(segment.MaskedTopic, out var problem))
            {
                errors.Add(new OptionsError($"{policy.SourceName}: segments.{segment.Name}: masked topic '{segment.MaskedTopic}'", problem));
            }
        }

        // Budgets are kept per segment on the one partition its records arrive on; with several pre-keyed input
        // topics one segment would arrive on several partitions, each with its own ledger.
        if (p.InputKeyedBySegment && p.InputTopics.Count > 1 && policy.Segments.Any(s => s.Privacy.Window is not null))
        {
            errors.Add(new OptionsError($"{Root}:Pipeline:InputTopics",
                "with InputKeyedBySegment and a policy that declares windows, exactly one input topic is allowed"));
        }

        if (string.IsNullOrWhiteSpace(options.SchemaRegistry.Url) && policy.Segments.Any(s => s.Output == OutputFormat.Avro))
        {
            errors.Add(new OptionsError($"{Root}:SchemaRegistry:Url", "is required: a policy segment declares output: avro."));
        }

        if (p.InputKeyedBySegment)
        {
            foreach (var segment in policy.Segments.Where(s => s.Key.Kind == OutputKeyKind.InputKey))
            {
                errors.Add(new OptionsError($"{Root}:Pipeline:InputKeyedBySegment",
                    $"Segment '{segment.Name}' declares key: input-key, but Pipeline:InputKeyedBySegment says the input key is the segment name."));
            }
        }

        // The consumer group id names the state directory and the changelog topic of segments with window state (as
        // WindowedSegment.From selects them): the topic-name alphabet keeps it inside State:Directory.
        if (policy.Segments.Any(s => s.Privacy.Window is not null && (s.Privacy.Aggregates.Count > 0 || s.Privacy.Unit is not null))
            && !string.IsNullOrWhiteSpace(p.ConsumerGroupId) && !TopicNameRules.IsValid(p.ConsumerGroupId, out var groupProblem))
        {
            errors.Add(new OptionsError($"{Root}:Pipeline:ConsumerGroupId",
                $"{groupProblem} (with windowed segments it names the state directory and the state changelog topic)"));
        }

        return errors;
    }
}
