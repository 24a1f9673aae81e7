using StreamMasking.Deploy.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Deploy.Tests.Helm;

public sealed class ValuesSchemaTests
{
    private static string Schema => Path.Combine(RepositoryPaths.Chart, "values.schema.json");

    [SkippableTheory]
    [InlineData("")]
    [InlineData("ci/minimal-values.yaml")]
    [InlineData("ci/sasl-tls-values.yaml")]
    [InlineData("ci/deployment-kind-values.yaml")]
    [InlineData("ci/keda-values.yaml")]
    [InlineData("ci/monitoring-values.yaml")]
    public void Schema_ShippedValues_Valid(string values)
    {
        var result = Validate(values.Length == 0 ? [] : [values]);

        result.ExitCode.ShouldBe(0, result.ToString());
    }

    [SkippableTheory]
    [InlineData("replicas: 3\n", "Additional properties are not allowed ('replicas' was unexpected)")]
    [InlineData("kafka:\n  sasl:\n    passwrd: x\n", "kafka/sasl: Additional properties are not allowed")]
    [InlineData("workload:\n  kind: DaemonSet\n", "workload/kind: 'DaemonSet' is not one of")]
    [InlineData("http:\n  port: 70000\n", "http/port: 70000 is greater than the maximum")]
    [InlineData("extraEnv:\n  - name: FOO\n    value: bar\n", "extraEnv/0/name: 'FOO' does not match")]
    [InlineData("kafka:\n  properties:\n    sasl.password: hunter2\n", "kafka/properties")]
    [InlineData("kafka:\n  bootstrapServers: kafka\n", "kafka/bootstrapServers: 'kafka' does not match")]
    [InlineData("keda:\n  minReplicas: 0\n", "keda/minReplicas: 0 is less than the minimum of 1")]
    [InlineData("topics:\n  replicationFactor: 0\n", "topics/replicationFactor")]
    [InlineData("pipeline:\n  inputTopics: [\"raw visits\"]\n", "pipeline/inputTopics/0: 'raw visits' does not match")]
    [InlineData("resources:\n  limits:\n    memory: lots\n", "resources/limits/memory: 'lots' does not match")]
    [InlineData("podSecurityContext:\n  runAsUser: 0\n  runAsGroup: 0\n  fsGroup: 0\n", "podSecurityContext/runAsUser: 0 is less than the minimum of 1")]
    public void Schema_BadValues_Rejected(string yaml, string message)
    {
        var file = Path.Combine(Path.GetTempPath(), $"sm-bad-values-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        try
        {
            var result = Validate([file]);

            result.ExitCode.ShouldBe(1, result.ToString());
            result.Output.ShouldContain(message, Case.Sensitive, result.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Schema_EveryObject_ForbidsAdditionalProperties()
    {
        // Strict everywhere except maps of strings (labels, annotations, node selectors), the librdkafka
        // pass-through properties (names checked by a pattern) and Kubernetes objects passed through unchanged.
        var open = new List<string>();
        void Walk(System.Text.Json.Nodes.JsonNode node, string path)
        {
            if (node is not System.Text.Json.Nodes.JsonObject schema)
            {
                return;
            }

            var isObject = schema["type"]?.ToString() == "object";
            var extra = schema["additionalProperties"];
            var strict = extra is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.False;
            var stringMap = extra is System.Text.Json.Nodes.JsonObject e && e["type"]?.ToString() == "string";
            var passThrough = ((string?)schema["description"])?.EndsWith("Passed to Kubernetes unchanged.", StringComparison.Ordinal) == true;
            if (isObject && !strict && !stringMap && !passThrough && path is not ("/global" or "/kafka/properties"))
            {
                open.Add(path);
            }

            if (schema["properties"] is System.Text.Json.Nodes.JsonObject properties)
            {
                foreach (var (name, child) in properties)
                {
                    Walk(child!, $"{path}/{name}");
                }
            }

            if (schema["items"] is { } items && !passThrough)
            {
                Walk(items, path + "/items");
            }
        }

        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Schema))!;
        ((bool)root["additionalProperties"]!).ShouldBeFalse();
        Walk(root, "");

        open.ShouldBeEmpty();
    }

    private static ProcessResult Validate(string[] valuesFiles)
    {
        // Debian's interpreter, where python3-jsonschema installs the module (a PATH python may be another one).
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalTool.Require("python3", "python3");
        var merged = ChartRenderer.MergedValues(valuesFiles);
        merged.ExitCode.ShouldBe(0, merged.ToString());
        var check = ExternalTool.Run(python, ["-c", "import jsonschema"]);
        if (check.ExitCode != 0)
        {
            ExternalTool.Missing("the Python module jsonschema is not installed", "python3-jsonschema");
        }

        return ExternalTool.Run(python, [Path.Combine(AppContext.BaseDirectory, "Support", "validate_values.py"), Schema], standardInput: merged.Output);
    }
}
