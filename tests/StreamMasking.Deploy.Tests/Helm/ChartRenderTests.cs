using System.Security.Cryptography;
using System.Text;
using StreamMasking.Deploy.Tests.Support;
using StreamMasking.Testing;
using YamlDotNet.RepresentationModel;

namespace StreamMasking.Deploy.Tests.Helm;

public sealed class ChartRenderTests
{
    public static TheoryData<string> CiValues()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Chart, "ci"), "*-values.yaml").Order(StringComparer.Ordinal))
        {
            data.Add("ci/" + Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void CiValues_Examples_CoverSaslTlsDeploymentKedaAndMonitoring()
    {
        new[] { "ci/sasl-tls-values.yaml", "ci/deployment-kind-values.yaml", "ci/keda-values.yaml", "ci/monitoring-values.yaml", "ci/minimal-values.yaml", "ci/avro-registry-values.yaml" }
            .ShouldBeSubsetOf(((IEnumerable<object[]>)CiValues()).Select(d => (string)d[0]));
    }

    [SkippableFact]
    public void Render_DefaultValues_FailsNamingEveryRequiredValue()
    {
        // Fail closed: without a cluster, inputs, policy and master secret nothing half-configured is rendered.
        var result = ChartRenderer.Render();

        result.ExitCode.ShouldBe(1);
        result.Output.ShouldBeEmpty();
        result.Error.ShouldContain("missing required values: kafka.bootstrapServers, pipeline.inputTopics, policy.content");
        result.Error.ShouldContain("masterSecret.existingSecret");
    }

    [SkippableTheory]
    [MemberData(nameof(CiValues))]
    public void Render_CiValues_SelectorsMatchPodLabels(string values)
    {
        var chart = RenderedChart.Render(values);
        var podLabels = chart.Workload.Map("spec").Map("template").Map("metadata").Dict("labels");

        chart.Workload.Map("spec").Map("selector").Dict("matchLabels").ShouldNotBeEmpty();
        ShouldSelect(chart.Workload.Map("spec").Map("selector").Dict("matchLabels"), podLabels, "workload");
        foreach (var service in chart.Documents.Where(d => d.Str("kind") == "Service"))
        {
            ShouldSelect(service.Map("spec").Dict("selector"), podLabels, service.Map("metadata").Str("name"));
        }

        if (chart.Find("PodDisruptionBudget") is { } pdb)
        {
            ShouldSelect(pdb.Map("spec").Map("selector").Dict("matchLabels"), podLabels, "PodDisruptionBudget");
        }

        if (chart.Find("ServiceMonitor") is { } monitor)
        {
            // Exactly one service is scraped (the headless one would scrape every pod a second time).
            var selector = monitor.Map("spec").Map("selector");
            var scraped = chart.Documents.Where(d => d.Str("kind") == "Service" && Selects(selector, d.Map("metadata").Dict("labels"))).ToList();
            scraped.Count.ShouldBe(1);
            var service = scraped[0];
            service.Map("spec").Has("clusterIP").ShouldBeFalse();
            var endpoint = (YamlMappingNode)monitor.Map("spec").Seq("endpoints").Single();
            endpoint.Str("port").ShouldBe("http");
            endpoint.Str("path").ShouldBe("/metrics");
            // The rules and dashboard select job=~".*streammasking.*": the job comes from this service label.
            monitor.Map("spec").Str("jobLabel").ShouldBe("app.kubernetes.io/name");
            service.Map("metadata").Dict("labels")["app.kubernetes.io/name"].ShouldContain("streammasking");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(CiValues))]
    public void Render_CiValues_ProbesHitTheHealthEndpointsOnTheHttpPort(string values)
    {
        var chart = RenderedChart.Render(values);
        var container = chart.Container;
        var port = (YamlMappingNode)container.Seq("ports").Single();
        port.Str("name").ShouldBe("http");
        var portNumber = port.Str("containerPort");

        chart.EnvValue("STREAMMASKING__HTTP__PORT").ShouldBe(portNumber);
        chart.EnvValue("STREAMMASKING__HTTP__BINDADDRESS").ShouldBe("0.0.0.0");
        foreach (var (probe, path) in new[] { ("startupProbe", "/healthz"), ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz") })
        {
            var get = container.Map(probe).Map("httpGet");
            get.Str("path").ShouldBe(path, probe);
            get.Str("port").ShouldBe("http", probe);
        }

        foreach (var service in chart.Documents.Where(d => d.Str("kind") == "Service"))
        {
            var servicePort = (YamlMappingNode)service.Map("spec").Seq("ports").Single();
            servicePort.Str("targetPort").ShouldBe("http");
            servicePort.Str("port").ShouldBe(portNumber);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(CiValues))]
    public void Render_CiValues_EveryEnvironmentVariableIsARealSetting(string values)
    {
        var chart = RenderedChart.Render(values);

        chart.Env.Select(e => e.Str("name")).ShouldBeUnique();
        foreach (var name in chart.Env.Select(e => e.Str("name")))
        {
            ServiceSettings.IsRealEnvironmentVariable(name, out var why).ShouldBeTrue(why);
        }

        // Static group membership: the instance id is the pod name.
        var instanceId = chart.Env.Single(e => e.Str("name") == "STREAMMASKING__PIPELINE__INSTANCEID");
        instanceId.Map("valueFrom").Map("fieldRef").Str("fieldPath").ShouldBe("metadata.name");
    }

    [SkippableTheory]
    [MemberData(nameof(CiValues))]
    public void Render_CiValues_FilesTheServiceReadsAreMounted(string values)
    {
        var chart = RenderedChart.Render(values);
        var mounts = chart.Container.Seq("volumeMounts").Cast<YamlMappingNode>().ToDictionary(m => m.Str("name"), m => m.Str("mountPath"));
        var volumes = chart.PodSpec.Seq("volumes").Cast<YamlMappingNode>().ToDictionary(v => v.Str("name"));
        var claims = chart.Workload.Map("spec").Has("volumeClaimTemplates")
            ? chart.Workload.Map("spec").Seq("volumeClaimTemplates").Cast<YamlMappingNode>().Select(c => c.Map("metadata").Str("name")).ToList()
            : [];

        foreach (var name in mounts.Keys)
        {
            (volumes.ContainsKey(name) || claims.Contains(name)).ShouldBeTrue($"volume mount {name} has no volume");
        }

        chart.EnvValue("STREAMMASKING__STATE__DIRECTORY").ShouldBe(mounts["state"]);
        chart.EnvValue("STREAMMASKING__POLICY__FILE")!.ShouldStartWith(mounts["policy"] + "/");
        chart.EnvValue("STREAMMASKING__SECRETS__MASTERSECRETFILE")!.ShouldStartWith(mounts["master-secret"] + "/");
        var policyMap = volumes["policy"].Map("configMap").Str("name");
        var configMap = chart.Documents.Single(d => d.Str("kind") == "ConfigMap" && d.Map("metadata").Str("name") == policyMap);
        configMap.Map("data").Has(Path.GetFileName(chart.EnvValue("STREAMMASKING__POLICY__FILE")!)).ShouldBeTrue();
        var secretItem = (YamlMappingNode)volumes["master-secret"].Map("secret").Seq("items").Single();
        chart.EnvValue("STREAMMASKING__SECRETS__MASTERSECRETFILE")!.ShouldEndWith("/" + secretItem.Str("path"));
        foreach (var env in chart.Env.Where(e => e.Str("name").EndsWith("_LOCATION", StringComparison.Ordinal)))
        {
            env.Str("value").ShouldStartWith(mounts["kafka-tls"] + "/");
        }

        if (chart.EnvValue("STREAMMASKING__SCHEMAREGISTRY__SSLCALOCATION") is { } registryCa)
        {
            registryCa.ShouldStartWith(mounts["registry-tls"] + "/");
        }

        if (chart.EnvValue("STREAMMASKING__SCHEMAREGISTRY__LOCALSCHEMADIRECTORY") is { } schemas)
        {
            schemas.ShouldBe(mounts["schemas"]);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(CiValues))]
    public void Render_CiValues_SecurityContextIsRestricted(string values)
    {
        var chart = RenderedChart.Render(values);
        var pod = chart.PodSpec.Map("securityContext");
        var container = chart.Container.Map("securityContext");

        pod.Str("runAsNonRoot").ShouldBe("true");
        int.Parse(pod.Str("runAsUser"), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        pod.Map("seccompProfile").Str("type").ShouldBe("RuntimeDefault");
        container.Str("runAsNonRoot").ShouldBe("true");
        container.Str("readOnlyRootFilesystem").ShouldBe("true");
        container.Str("allowPrivilegeEscalation").ShouldBe("false");
        container.Str("privileged").ShouldBe("false");
        container.Map("capabilities").Seq("drop").Select(n => ((YamlScalarNode)n).Value).ShouldBe(["ALL"]);
        container.Map("capabilities").Has("add").ShouldBeFalse();
        container.Map("seccompProfile").Str("type").ShouldBe("RuntimeDefault");
        chart.PodSpec.Str("automountServiceAccountToken").ShouldBe("false");
        chart.PodSpec.Str("enableServiceLinks").ShouldBe("false");
        chart.Container.Map("resources").Map("requests").Has("memory").ShouldBeTrue();
        chart.Container.Map("resources").Map("limits").Has("memory").ShouldBeTrue();
    }

    [SkippableTheory]
    [MemberData(nameof(CiValues))]
    public void Render_CiValues_PolicyConfigMapHoldsAValidPolicy(string values)
    {
        var chart = RenderedChart.Render(values);
        var policy = chart.Documents.Single(d => d.Str("kind") == "ConfigMap" && d.Map("metadata").Str("name").EndsWith("-policy", StringComparison.Ordinal));

        var loaded = StreamMasking.Core.Policy.PolicyLoader.Parse(policy.Map("data").Str("policy.yaml"), values);

        loaded.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, loaded.Diagnostics));
    }

    [SkippableFact]
    public void Render_Default_StatefulSetWithStateClaimsAndHeadlessService()
    {
        var chart = RenderedChart.Render("ci/minimal-values.yaml");

        chart.Kinds.ShouldBe(["ConfigMap", "PodDisruptionBudget", "Service", "Service", "ServiceAccount", "StatefulSet"], ignoreOrder: true);
        var spec = chart.Workload.Map("spec");
        var claim = (YamlMappingNode)spec.Seq("volumeClaimTemplates").Single();
        claim.Map("metadata").Str("name").ShouldBe("state");
        claim.Map("spec").Map("resources").Map("requests").Str("storage").ShouldBe("1Gi");
        var headless = chart.Single("Service", "-headless");
        spec.Str("serviceName").ShouldBe(headless.Map("metadata").Str("name"));
        headless.Map("spec").Str("clusterIP").ShouldBe("None");
        chart.PodSpec.Seq("volumes").Cast<YamlMappingNode>().ShouldNotContain(v => v.Str("name") == "state");
    }

    [SkippableFact]
    public void Render_DeploymentKind_NoClaimsStateInEmptyDir()
    {
        var chart = RenderedChart.Render("ci/deployment-kind-values.yaml");

        chart.Workload.Str("kind").ShouldBe("Deployment");
        chart.Workload.Map("spec").Has("volumeClaimTemplates").ShouldBeFalse();
        chart.Workload.Map("spec").Has("serviceName").ShouldBeFalse();
        chart.PodSpec.Seq("volumes").Cast<YamlMappingNode>().Single(v => v.Str("name") == "state").Has("emptyDir").ShouldBeTrue();
        chart.Kinds.ShouldNotContain("PodDisruptionBudget");
        chart.Documents.Count(d => d.Str("kind") == "Service").ShouldBe(1);
        chart.EnvValue("STREAMMASKING__PIPELINE__BATCHMAXRECORDS").ShouldBe("1000");
    }

    [SkippableFact]
    public void Render_SaslTls_CredentialsFromTheSecretAndCertificatesMounted()
    {
        var chart = RenderedChart.Render("ci/sasl-tls-values.yaml");

        chart.EnvValue("STREAMMASKING__KAFKA__PROPERTIES__SECURITY_PROTOCOL").ShouldBe("SASL_SSL");
        chart.EnvValue("STREAMMASKING__KAFKA__PROPERTIES__SASL_MECHANISM").ShouldBe("SCRAM-SHA-512");
        foreach (var (name, key) in new[] { ("STREAMMASKING__KAFKA__PROPERTIES__SASL_USERNAME", "username"), ("STREAMMASKING__KAFKA__PROPERTIES__SASL_PASSWORD", "password") })
        {
            var env = chart.Env.Single(e => e.Str("name") == name);
            env.Has("value").ShouldBeFalse(name);
            var secret = env.Map("valueFrom").Map("secretKeyRef");
            secret.Str("name").ShouldBe("streammasking-kafka-user");
            secret.Str("key").ShouldBe(key);
        }

        chart.EnvValue("STREAMMASKING__KAFKA__PROPERTIES__SSL_CA_LOCATION").ShouldBe("/etc/streammasking/kafka-tls/ca.crt");
        chart.EnvValue("STREAMMASKING__KAFKA__PROPERTIES__SSL_CERTIFICATE_LOCATION").ShouldBe("/etc/streammasking/kafka-tls/user.crt");
        chart.EnvValue("STREAMMASKING__KAFKA__PROPERTIES__SSL_KEY_LOCATION").ShouldBe("/etc/streammasking/kafka-tls/user.key");
        chart.EnvValue("STREAMMASKING__KAFKA__PROPERTIES__SOCKET_KEEPALIVE_ENABLE").ShouldBe("true");
        var tls = chart.PodSpec.Seq("volumes").Cast<YamlMappingNode>().Single(v => v.Str("name") == "kafka-tls");
        tls.Map("secret").Str("secretName").ShouldBe("my-cluster-cluster-ca-cert");
        chart.Container.Seq("volumeMounts").Cast<YamlMappingNode>().Single(m => m.Str("name") == "kafka-tls").Str("readOnly").ShouldBe("true");
        // No secret value appears anywhere in the manifests.
        chart.Manifests.ShouldNotContain("password:");
    }

    [SkippableFact]
    public void Render_AvroRegistry_FormatsRegistryCredentialsAndSchemasMounted()
    {
        var chart = RenderedChart.Render("ci/avro-registry-values.yaml");

        chart.EnvValue("STREAMMASKING__PIPELINE__INPUTFORMATS__visits.raw").ShouldBe("avro-confluent");
        chart.EnvValue("STREAMMASKING__PIPELINE__INPUTFORMATS__payments.raw").ShouldBe("avro-single-object");
        chart.EnvValue("STREAMMASKING__AGGREGATES__FORMAT").ShouldBe("avro");
        chart.EnvValue("STREAMMASKING__AUDIT__FORMAT").ShouldBe("avro");
        chart.EnvValue("STREAMMASKING__SCHEMAREGISTRY__URL").ShouldBe("https://schema-registry.kafka:8081");
        chart.EnvValue("STREAMMASKING__SCHEMAREGISTRY__REQUESTTIMEOUT").ShouldBe("00:00:05");
        var auth = chart.Env.Single(e => e.Str("name") == "STREAMMASKING__SCHEMAREGISTRY__BASICAUTH");
        auth.Has("value").ShouldBeFalse();
        auth.Map("valueFrom").Map("secretKeyRef").Str("name").ShouldBe("streammasking-registry-user");
        auth.Map("valueFrom").Map("secretKeyRef").Str("key").ShouldBe("user-info");
        chart.Env.ShouldNotContain(e => e.Str("name") == "STREAMMASKING__SCHEMAREGISTRY__BEARERTOKEN");

        var mounts = chart.Container.Seq("volumeMounts").Cast<YamlMappingNode>().ToDictionary(m => m.Str("name"));
        var volumes = chart.PodSpec.Seq("volumes").Cast<YamlMappingNode>().ToDictionary(v => v.Str("name"));
        chart.EnvValue("STREAMMASKING__SCHEMAREGISTRY__SSLCALOCATION").ShouldBe(mounts["registry-tls"].Str("mountPath") + "/ca.crt");
        volumes["registry-tls"].Map("secret").Str("secretName").ShouldBe("schema-registry-ca");
        chart.EnvValue("STREAMMASKING__SCHEMAREGISTRY__LOCALSCHEMADIRECTORY").ShouldBe(mounts["schemas"].Str("mountPath"));
        volumes["schemas"].Map("configMap").Str("name").ShouldBe("streammasking-writer-schemas");
        mounts["registry-tls"].Str("readOnly").ShouldBe("true");
        mounts["schemas"].Str("readOnly").ShouldBe("true");
    }

    [SkippableFact]
    public void Render_MinimalValues_JsonOutputsAndNoRegistry()
    {
        var chart = RenderedChart.Render("ci/minimal-values.yaml");

        chart.EnvValue("STREAMMASKING__AGGREGATES__FORMAT").ShouldBe("json");
        chart.EnvValue("STREAMMASKING__AUDIT__FORMAT").ShouldBe("json");
        chart.Env.ShouldNotContain(e => e.Str("name").StartsWith("STREAMMASKING__SCHEMAREGISTRY__", StringComparison.Ordinal));
        chart.Env.ShouldNotContain(e => e.Str("name").StartsWith("STREAMMASKING__PIPELINE__INPUTFORMATS__", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData("aggregates:\n  format: avro\n", "schemaRegistry.url")]
    [InlineData("pipeline:\n  inputTopics: [visits.raw]\n  inputFormats: { visits.raw: avro-confluent }\n", "schemaRegistry.url")]
    [InlineData("pipeline:\n  inputTopics: [visits.raw]\n  inputFormats: { visits.raw: avro-single-object }\n", "schemaRegistry.localSchemas.existingConfigMap")]
    [InlineData("schemaRegistry:\n  url: https://r:8081\n  auth: { type: bearer }\n", "schemaRegistry.auth.existingSecret")]
    [InlineData("pipeline:\n  inputTopics: [visits.raw]\n  inputFormats: { payments.raw: json }\n", "payments.raw, which is not in pipeline.inputTopics")]
    public void Render_AvroWithoutWhatItNeeds_FailsNamingIt(string overlay, string named)
    {
        var file = Path.Combine(Path.GetTempPath(), $"streammasking-values-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, overlay);
        try
        {
            var result = ChartRenderer.Render("ci/minimal-values.yaml", file);

            result.ExitCode.ShouldBe(1, result.Output);
            result.Output.ShouldBeEmpty();
            result.Error.ShouldContain(named);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public void Render_PolicyChange_ChangesTheChecksumAnnotationSoPodsRoll()
    {
        var before = RenderedChart.Render("ci/minimal-values.yaml");
        var changed = Path.Combine(Path.GetTempPath(), $"sm-policy-change-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(changed, "policy:\n  content: |\n    version: \"2\"\n    segments: []\n");
        try
        {
            var after = RenderedChart.Render("ci/minimal-values.yaml", changed);

            string Checksum(RenderedChart c) => c.Workload.Map("spec").Map("template").Map("metadata").Dict("annotations")["checksum/policy"];
            var policy = before.Documents.Single(d => d.Str("kind") == "ConfigMap").Map("data").Str("policy.yaml");
            Checksum(before).ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(policy))));
            Checksum(after).ShouldNotBe(Checksum(before));
        }
        finally
        {
            File.Delete(changed);
        }
    }

    [SkippableFact]
    public void Render_Keda_ScalesTheWorkloadOnLagAndLeavesReplicasToIt()
    {
        var chart = RenderedChart.Render("ci/keda-values.yaml");
        var scaled = chart.Single("ScaledObject");
        var target = scaled.Map("spec").Map("scaleTargetRef");

        target.Str("kind").ShouldBe(chart.Workload.Str("kind"));
        target.Str("name").ShouldBe(chart.Workload.Map("metadata").Str("name"));
        chart.Workload.Map("spec").Has("replicas").ShouldBeFalse();
        int.Parse(scaled.Map("spec").Str("minReplicaCount"), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(1);
        var trigger = (YamlMappingNode)scaled.Map("spec").Seq("triggers").Single();
        trigger.Str("type").ShouldBe("prometheus");
        var query = trigger.Map("metadata").Str("query");
        query.ShouldContain("streammasking_consumer_lag_records");
        ContractMetrics.Unknown(query).ShouldBeEmpty();
    }

    [SkippableFact]
    public void Render_Monitoring_RulesAndDashboardComeFromTheSharedFiles()
    {
        var chart = RenderedChart.Render("ci/monitoring-values.yaml");

        var dashboard = chart.Single("ConfigMap", "-dashboard");
        dashboard.Map("metadata").Dict("labels")["grafana_dashboard"].ShouldBe("1");
        dashboard.Map("data").Str("streammasking.json").ShouldBe(File.ReadAllText(RepositoryPaths.DashboardFile).TrimEnd('\n'));

        var rule = chart.Single("PrometheusRule");
        var rendered = rule.Map("spec").Seq("groups").Cast<YamlMappingNode>()
            .SelectMany(g => g.Seq("rules").Cast<YamlMappingNode>()).ToList();
        var source = Rules.AlertRulesTests.Alerts().ToList();
        rendered.Select(r => r.Str("alert")).ShouldBe(source.Select(a => a.Name));
        rendered.Select(r => r.Str("expr")).ShouldBe(source.Select(a => a.Expr));
        rendered.ShouldAllBe(r => r.Map("annotations").Str("runbook_url").StartsWith("https://git.example.com/streammasking/-/blob/main/docs/operations.md#"));
    }

    [SkippableFact]
    public void Render_Notes_NameTheEndpointsAndTheAclPlan()
    {
        var result = ChartRenderer.Notes("ci/minimal-values.yaml");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("StatefulSet sm-streammasking in namespace data");
        result.Output.ShouldContain("/readyz");
        result.Output.ShouldContain("streammasking acl plan");
    }

    [SkippableTheory]
    [MemberData(nameof(CiValues))]
    public void Yamllint_RenderedManifests_Clean(string values)
    {
        var yamllint = ExternalTool.Require("yamllint", "yamllint");
        var chart = RenderedChart.Render(values);

        var result = ExternalTool.Run(yamllint, ["-c", RepositoryRoot.Of(".yamllint"), "-f", "parsable", "-"], standardInput: chart.Manifests);

        result.ExitCode.ShouldBe(0, result.ToString());
    }

    [SkippableFact]
    public void Yamllint_ChartAndDeploymentFiles_Clean()
    {
        var yamllint = ExternalTool.Require("yamllint", "yamllint");

        var result = ExternalTool.Run(yamllint, ["-c", RepositoryRoot.Of(".yamllint"), "-f", "parsable", "--strict",
            "helm/streammasking/Chart.yaml", "helm/streammasking/values.yaml", "helm/streammasking/ci", "helm/streammasking/files/rules",
            "docker-compose.yml", "deploy"]);

        result.ExitCode.ShouldBe(0, result.ToString());
    }

    /// <summary>A label selector (matchLabels, and matchExpressions with Exists / DoesNotExist / In) against labels.</summary>
    private static bool Selects(YamlMappingNode selector, IReadOnlyDictionary<string, string> labels)
    {
        var matchLabels = selector.Dict("matchLabels").All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
        var expressions = !selector.Has("matchExpressions") || selector.Seq("matchExpressions").Cast<YamlMappingNode>().All(e => e.Str("operator") switch
        {
            "Exists" => labels.ContainsKey(e.Str("key")),
            "DoesNotExist" => !labels.ContainsKey(e.Str("key")),
            "In" => labels.TryGetValue(e.Str("key"), out var v) && e.Seq("values").Any(x => ((YamlScalarNode)x).Value == v),
            var other => throw new InvalidOperationException($"operator {other} is not checked here"),
        });
        return matchLabels && expressions;
    }

    private static void ShouldSelect(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels, string what)
    {
        selector.ShouldNotBeEmpty(what);
        foreach (var (key, value) in selector)
        {
            labels.TryGetValue(key, out var actual).ShouldBeTrue($"{what}: pods lack label {key}");
            actual.ShouldBe(value, what);
        }
    }
}
