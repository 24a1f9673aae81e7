namespace StreamMasking.Host.Tests.Support;

/// <summary>One PromQL expression to check, where it came from, and whether it must return series.</summary>
/// <param name="Source">File and panel or rule.</param>
/// <param name="Expression">The PromQL, Grafana variables substituted.</param>
/// <param name="Alert">The alert name for alert rules, else null (dashboard panels, recording rules).</param>
internal sealed record PromQlExpression(string Source, string Expression, string? Alert);
