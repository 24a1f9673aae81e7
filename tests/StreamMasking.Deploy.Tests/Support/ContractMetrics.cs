using System.Text.RegularExpressions;

namespace StreamMasking.Deploy.Tests.Support;

/// <summary>
/// The metric names of the operations contract (docs/operations.md, "Metrics and endpoints"): the only names the
/// dashboard and the alert rules may use, besides Prometheus' own <c>up</c> and the client's process_/dotnet_ ones.
/// </summary>
internal static partial class ContractMetrics
{
    internal static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "streammasking_records_consumed_total", "streammasking_records_published_total",
        "streammasking_records_dead_lettered_total", "streammasking_records_dropped_total",
        "streammasking_processing_duration_seconds", "streammasking_end_to_end_latency_seconds",
        "streammasking_transaction_commit_duration_seconds", "streammasking_transactions_committed_total",
        "streammasking_transactions_aborted_total", "streammasking_consumer_lag_records", "streammasking_consumer_lag_seconds",
        "streammasking_rebalances_total", "streammasking_assigned_partitions", "streammasking_state_restore_remaining_records",
        "streammasking_state_restore_records_total", "streammasking_state_restore_duration_seconds",
        "streammasking_windows_sealed_total", "streammasking_windows_released_total", "streammasking_releases_suppressed_total",
        "streammasking_late_records_total",
        "streammasking_budget_epsilon_spent", "streammasking_budget_epsilon_cap", "streammasking_budget_epsilon_remaining",
        "streammasking_budget_delta_spent", "streammasking_budget_delta_cap", "streammasking_budget_delta_remaining",
        "streammasking_budget_rho_spent", "streammasking_budget_rho_cap", "streammasking_budget_rho_remaining",
        "streammasking_budget_exhausted", "streammasking_audit_publish_failures_total", "streammasking_policy_load_failures_total",
        "streammasking_policy_info", "streammasking_build_info", "streammasking_poll_loop_last_progress_timestamp_seconds",
        "streammasking_ready", "streammasking_up",
    };

    private static readonly string[] Histograms =
    [
        "streammasking_processing_duration_seconds", "streammasking_end_to_end_latency_seconds",
        "streammasking_transaction_commit_duration_seconds",
    ];

    /// <summary>The metric names an expression selects that the contract does not define.</summary>
    internal static IEnumerable<string> Unknown(string expr) =>
        MetricName().Matches(expr).Select(m => m.Value).Where(n => !IsKnown(n)).Distinct();

    /// <summary>The contract metric names the expression uses.</summary>
    internal static IEnumerable<string> Used(string expr) =>
        MetricName().Matches(expr).Select(m => m.Value).Where(IsKnown).Select(Base).Distinct();

    private static bool IsKnown(string name) =>
        Names.Contains(name)
        || Histograms.Any(h => name == h + "_bucket" || name == h + "_sum" || name == h + "_count")
        || name.StartsWith("process_", StringComparison.Ordinal) || name.StartsWith("dotnet_", StringComparison.Ordinal);

    private static string Base(string name) =>
        Histograms.FirstOrDefault(h => name.StartsWith(h, StringComparison.Ordinal)) ?? name;

    // Metric names of ours and of the client library (label names and values are inside braces and quotes).
    [GeneratedRegex(@"\b(streammasking|process|dotnet)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
