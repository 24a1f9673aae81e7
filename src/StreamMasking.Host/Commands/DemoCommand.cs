using System.CommandLine;
using StreamMasking.Host.Demo;

namespace StreamMasking.Host.Commands;

/// <summary><c>demo</c>: everything on an embedded broker with synthetic sensitive data and a live view.</summary>
internal static class DemoCommand
{
    internal static Command Create()
    {
        var headless = new Option<bool>("--headless") { Description = "Print periodic summary lines and masked samples instead of the live view." };
        var duration = new Option<int?>("--duration") { Description = "Stop after this many seconds (default: run until Ctrl-C)." };
        var rate = new Option<int>("--rate") { Description = "Synthetic events per second.", DefaultValueFactory = _ => 200 };
        var policy = new Option<FileInfo?>("--policy") { Description = "Policy file (default: the shipped policies/demo.yaml)." };
        var httpPort = new Option<int>("--http-port")
        {
            Description = "Port of the demo's /metrics, /healthz, /readyz and /privacy on 127.0.0.1; 0 picks a free one.",
            DefaultValueFactory = _ => DemoSettings.DefaultHttpPort,
        };
        var format = new Option<string>("--format")
        {
            Description = "Input format of the synthetic events: json, or avro (single-object encoding under schemas/samples; prints the derived masked schemas).",
            DefaultValueFactory = _ => "json",
        };
        format.AcceptOnlyFromAmong("json", "avro");
        duration.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is <= 0)
            {
                r.AddError("--duration must be a positive number of seconds.");
            }
        });
        rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                r.AddError("--rate must be between 1 and 100000.");
            }
        });

        var demo = new Command("demo", "Start an embedded broker, a synthetic event generator and the masking pipeline with a live view.");
        demo.Options.Add(headless);
        demo.Options.Add(duration);
        demo.Options.Add(rate);
        demo.Options.Add(policy);
        demo.Options.Add(httpPort);
        demo.Options.Add(format);
        demo.SetAction(async (parse, ct) =>
        {
            var policyFile = parse.GetValue(policy)?.FullName ?? DefaultPolicyPath();
            var seconds = parse.GetValue(duration);
            var settings = new DemoSettings(policyFile, parse.GetValue(headless),
                seconds is { } s ? TimeSpan.FromSeconds(s) : null, parse.GetValue(rate), parse.GetValue(httpPort),
                AvroInput: parse.GetValue(format) == "avro");
            return await DemoSession.RunAsync(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct);
        });
        return demo;
    }

    /// <summary>The sample policy is copied next to the executable; fall back to the repository layout.</summary>
    private static string DefaultPolicyPath()
    {
        var besideBinary = Path.Combine(AppContext.BaseDirectory, "policies", "demo.yaml");
        return File.Exists(besideBinary) ? besideBinary : Path.Combine(Environment.CurrentDirectory, "policies", "demo.yaml");
    }
}
