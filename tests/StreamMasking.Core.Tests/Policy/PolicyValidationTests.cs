using StreamMasking.Core.Policy;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>Each bad policy yields diagnostics naming file, line, column, key path and the problem.</summary>
public sealed class PolicyValidationTests
{
    private static PolicyDiagnostic At(IReadOnlyList<PolicyDiagnostic> errors, string path)
    {
        var matches = errors.Where(e => e.Path == path).ToList();
        matches.Count.ShouldBe(1, $"expected one diagnostic at '{path}', got:\n{string.Join("\n", errors)}");
        return matches[0];
    }

    private static void ShouldBeAt(PolicyDiagnostic d, int line, int column, string messagePart)
    {
        d.File.ShouldBe("bad.yaml");
        (d.Line, d.Column).ShouldBe((line, column), d.ToString());
        d.Message.ShouldContain(messagePart, Case.Sensitive, d.ToString());
    }

    /// <summary>The diagnostics of a policy whose one segment 's' has the given match rule (line 4).</summary>
    private static IReadOnlyList<PolicyDiagnostic> MatchErrors(string match) => TestPolicies.Errors($"""
        version: "1"
        segments:
          - name: s
            match: {match}
        """);

    /// <summary>The diagnostics of a policy whose catch-all segment 's' has one field rule (line 6, column 7).</summary>
    private static IReadOnlyList<PolicyDiagnostic> FieldErrors(string field, string rule) => TestPolicies.Errors($"""
        version: "1"
        segments:
          - name: s
            match: {"{"} all: [] {"}"}
            fields:
              {field}: {rule}
        """);

    [Fact]
    public void Parse_UnknownTopLevelKeyAndMissingSegments_ReportsBoth()
    {
        var errors = TestPolicies.Errors("""
            version: "1"
            segmnts: []
            """);

        errors.Count.ShouldBe(2);
        ShouldBeAt(At(errors, "segmnts"), 2, 1, "unknown key 'segmnts'; expected one of: version, maskedTopic");
        ShouldBeAt(At(errors, ""), 1, 1, "missing required key 'segments'");
    }

    [Theory]
    [InlineData("budget")]
    [InlineData("aggregates")]
    [InlineData("window")]
    public void Parse_DpKeyAtTopLevel_SaysItBelongsUnderASegment(string key)
    {
        var errors = TestPolicies.Errors($$"""
            version: "1"
            {{key}}: {}
            segments: [{ name: s, match: { all: [] } }]
            """);

        ShouldBeAt(At(errors, key), 2, 1, $"key '{key}' does not belong here: differential privacy is declared per segment");
    }

    /// <summary>Policies with one problem each: the diagnostic's path, position and message.</summary>
    public static TheoryData<string, string, string, int, int, string> OneProblem => new()
    {
        {
            "DuplicateFieldKey_PointsAtSecondAndNamesFirstLine",
            """
                version: "1"
                segments:
                  - name: s
                    match: { all: [] }
                    fields:
                      age: keep
                      age: drop
                """,
            "segments[0].fields.age", 7, 7, "duplicate key 'age' (first defined at line 6)"
        },
        {
            "DuplicateTopLevelKey_IsAnError",
            """
                version: "1"
                version: "2"
                segments: [{ name: s, match: { all: [] } }]
                """,
            "version", 2, 1, "duplicate key 'version'"
        },
        {
            "DuplicateSegmentNames_PointsAtSecondName",
            """
                version: "1"
                segments:
                  - name: a
                    match: { field: t, equals: x }
                  - name: a
                    match: { field: t, equals: y }
                """,
            "segments[1].name", 5, 11, "duplicate segment name 'a' (first defined at line 3)"
        },
        {
            "SegmentsNotAList_IsAnError",
            """
                version: "1"
                segments: all
                """,
            "segments", 2, 11, "must be a list"
        },
        {
            "ContradictoryAll_CanNeverMatch",
            """
                version: "1"
                segments:
                  - name: s
                    match:
                      all:
                        - { field: tenant, equals: a }
                        - { field: tenant, in: [b, c] }
                """,
            "segments[0].match.all", 6, 9, "can never match: field tenant"
        },
        {
            "SegmentAfterCatchAll_IsUnreachable",
            """
                version: "1"
                segments:
                  - name: everything
                    match: { all: [] }
                  - name: late
                    match: { field: t, equals: x }
                """,
            "segments[1].match", 5, 11, "segment 'late' is unreachable: segment 'everything' (line 3)"
        },
        {
            "FieldAndItsParentBothRuled_IsAnError",
            """
                version: "1"
                segments:
                  - name: s
                    match: { all: [] }
                    fields:
                      patient: keep
                      patient.ssn: drop
                """,
            "segments[0].fields['patient.ssn']", 7, 7, "'patient' (keep (raw value passes)) contains 'patient.ssn'"
        },
        {
            "KeptParentOfTaggedField_IsAnError",
            """
                version: "1"
                schema:
                  fields:
                    patient.ssn: [PII]
                tags:
                  PII: tokenize
                segments:
                  - name: s
                    match: { all: [] }
                    fields:
                      patient: keep
                """,
            "segments[0].fields.patient", 11, 7, "contains 'patient.ssn' (tag PII: tokenize"
        },
        {
            "TagsWithDifferentActionsOnOneField_IsAnError",
            """
                version: "1"
                schema:
                  fields:
                    zip: [PII, QUASI]
                tags:
                  PII: tokenize
                  QUASI: { action: generalize, prefix: 3 }
                segments:
                  - name: s
                    match: { all: [] }
                """,
            "segments[0]", 9, 5, "field 'zip' has tags with different actions"
        },
    };

    [Theory]
    [MemberData(nameof(OneProblem))]
    public void Parse_OneProblem_ReportedAtItsPosition(string problem, string yaml, string path, int line, int column, string message)
    {
        _ = problem;
        var errors = TestPolicies.Errors(yaml);

        ShouldBeAt(At(errors, path), line, column, message);
    }

    /// <summary>Policies with one problem each whose position the test leaves open: the diagnostic's path and message.</summary>
    public static TheoryData<string, string, string, string> OneProblemAtPath => new()
    {
        {
            "SegmentNamesEqualUpToDotAndUnderscore_Collide",
            """
                version: "1"
                segments:
                  - { name: clinic.eu, match: { field: t, equals: x } }
                  - { name: clinic_eu, match: { field: t, equals: y } }
                """,
            "segments[1].name", "collides with 'clinic.eu'"
        },
        {
            "SegmentNameMakingTopicTooLong_IsAnError",
            $"""
                version: "1"
                segments:
                  - name: {new string('a', 245)}
                    match: {"{"} all: [] {"}"}
                """,
            "segments[0].name", "longer than Kafka's 249 characters"
        },
        {
            "EmptySegmentsList_IsAnError",
            "version: '1'\nsegments: []\n",
            "segments", "at least one segment"
        },
        {
            "SegmentWithSameMatchAsEarlier_IsUnreachable",
            """
                version: "1"
                segments:
                  - name: first
                    match: { header: tenant, in: [a, b] }
                  - name: second
                    match:
                      header: tenant
                      in: [a, b]
                """,
            "segments[1].match", "has the same match rule"
        },
    };

    [Theory]
    [MemberData(nameof(OneProblemAtPath))]
    public void Parse_OneProblem_NamedAtItsPath(string problem, string yaml, string path, string message)
    {
        _ = problem;
        At(TestPolicies.Errors(yaml), path).Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("clinic a")]
    [InlineData("clinic/eu")]
    [InlineData("..")]
    [InlineData("klinik-ü")]
    public void Parse_TopicUnsafeSegmentName_IsAnError(string name)
    {
        var errors = TestPolicies.Errors($"""
            version: "1"
            segments:
              - name: "{name}"
                match: {"{"} all: [] {"}"}
            """);

        ShouldBeAt(At(errors, "segments[0].name"), 3, 11, "is not topic-safe");
    }

    [Fact]
    public void Parse_MissingNameAndMatch_ReportedAtSegment()
    {
        var errors = TestPolicies.Errors("""
            version: "1"
            segments:
              - fields: { a: keep }
            """);

        errors.Count.ShouldBe(2);
        errors.ShouldAllBe(e => e.Path == "segments[0]" && e.Line == 3 && e.Column == 5);
        errors.Select(e => e.Message).ShouldBe(["missing required key 'name'", "missing required key 'match'"], ignoreOrder: true);
    }

    [Fact]
    public void Parse_WrongTypes_NameExpectedKind()
    {
        var errors = TestPolicies.Errors("""
            version: [1]
            defaults: keep
            segments:
              - name: s
                match: { all: [] }
                fields: [a, b]
            """);

        ShouldBeAt(At(errors, "version"), 1, 10, "must be a text value, found a list");
        ShouldBeAt(At(errors, "defaults"), 2, 11, "must be a mapping, found a scalar");
        ShouldBeAt(At(errors, "segments[0].fields"), 6, 13, "must be a mapping, found a list");
    }

    [Theory]
    [InlineData("{ action: generalize, bucket: 0 }", "bucket", "must be a positive number")]
    [InlineData("{ action: generalize, bucket: -5 }", "bucket", "must be a positive number")]
    [InlineData("{ action: generalize, bucket: ten }", "bucket", "must be a positive number")]
    [InlineData("{ action: generalize, bucket: '10' }", "bucket", "must be a positive number")]
    [InlineData("{ action: generalize, truncate: week }", "truncate", "'week' is not valid; expected one of: year, month, day, hour")]
    [InlineData("{ action: generalize, prefix: 0 }", "prefix", "must be a positive whole number")]
    [InlineData("{ action: generalize, prefix: 2.5 }", "prefix", "must be a positive whole number")]
    [InlineData("{ action: generalize, bucket: 10, output: middle }", "output", "expected one of: range, lower")]
    [InlineData("{ action: generalize, truncate: day, output: lower }", "output", "'output' applies only to 'bucket'")]
    [InlineData("{ action: generalize, bucket: 10, prefix: 3 }", "prefix", "conflicting options 'bucket' and 'prefix'")]
    [InlineData("{ action: partial, keepLast: -1 }", "keepLast", "must be a whole number >= 0")]
    [InlineData("{ action: partial, keepLast: 4, maskChar: '**' }", "maskChar", "must be exactly one character")]
    [InlineData("{ action: tokenize, length: 8 }", "length", "unknown key 'length'; expected one of: action")]
    [InlineData("{ action: shuffle }", "action", "unknown action 'shuffle'; expected one of: drop, keep, tokenize, generalize, partial, laplace, gaussian, randomized-response")]
    [InlineData("{ action: laplace, epsilon: 0, clamp: { min: 0, max: 1 } }", "epsilon", "epsilon must be a positive finite number")]
    public void Parse_BadActionOption_PointsAtTheOption(string action, string key, string message)
    {
        var errors = FieldErrors("age", action);

        var d = At(errors, "segments[0].fields.age." + key);
        d.Line.ShouldBe(6);
        d.Column.ShouldBeGreaterThan(12);
        d.Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("generalize", "needs options")]
    [InlineData("hash", "unknown action 'hash'")]
    [InlineData("randomized-response", "needs options")]
    public void Parse_BadScalarAction_PointsAtTheValue(string action, string message)
    {
        var errors = FieldErrors("patient.age", action);

        ShouldBeAt(At(errors, "segments[0].fields['patient.age']"), 6, 20, message);
    }

    [Fact]
    public void Parse_GeneralizeWithoutMode_And_PartialWithoutKeeps_AreErrors()
    {
        var errors = TestPolicies.Errors("""
            version: "1"
            segments:
              - name: s
                match: { all: [] }
                fields:
                  a: { action: generalize }
                  b: { action: partial, maskChar: "#" }
                  c: { bucket: 10 }
            """);

        ShouldBeAt(At(errors, "segments[0].fields.a"), 6, 10, "generalize needs exactly one of 'bucket', 'truncate', 'prefix'");
        ShouldBeAt(At(errors, "segments[0].fields.b"), 7, 10, "partial needs 'keepFirst' and/or 'keepLast'");
        ShouldBeAt(At(errors, "segments[0].fields.c"), 8, 10, "missing required key 'action'");
    }

    [Theory]
    [InlineData("\"([a-z\"", "invalid regular expression")]
    [InlineData("\"(?<=a)b\"", "regular expression")]
    [InlineData("\"(a)\\\\1\"", "regular expression")]
    public void Parse_BadRegex_IsAnError(string regex, string message)
    {
        var errors = TestPolicies.Errors($"""
            version: "1"
            segments:
              - name: s
                match:
                  field: tenant
                  regex: {regex}
            """);

        ShouldBeAt(At(errors, "segments[0].match.regex"), 6, 14, message);
    }

    [Theory]
    [InlineData("{ field: a, header: b, equals: x }", "header", "conflicting selectors 'field' and 'header'")]
    [InlineData("{ field: a, equals: x, prefix: y }", "prefix", "conflicting selectors 'equals' and 'prefix'")]
    [InlineData("{ all: [], field: a }", "field", "conflicting selectors 'all' and 'field'")]
    [InlineData("{ all: [], any: [] }", "any", "conflicting selectors 'all' and 'any'")]
    public void Parse_ConflictingSelectors_PointsAtTheSecond(string match, string key, string message)
    {
        var errors = MatchErrors(match);

        var d = At(errors, "segments[0].match." + key);
        d.Line.ShouldBe(4);
        d.Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("{ field: a }", "missing an operator")]
    [InlineData("{ equals: a }", "missing a subject")]
    [InlineData("{ any: [] }", "'any' needs at least one rule")]
    [InlineData("{ field: a, in: [] }", "'in' needs at least one value")]
    [InlineData("{ field: a, exists: maybe }", "must be true or false")]
    [InlineData("{ field: 'a..b', equals: x }", "not a valid field path")]
    [InlineData("{ topic: visits, equals: x }", "'topic' takes no value")]
    [InlineData("{ field: a, equals: [x] }", "must be a text value")]
    public void Parse_BadPredicate_IsAnError(string match, string message)
    {
        var errors = MatchErrors(match);

        errors.ShouldContain(e => e.Line == 4 && e.Path.StartsWith("segments[0].match", StringComparison.Ordinal) && e.Message.Contains(message),
            string.Join("\n", errors));
    }

    [Theory]
    [InlineData("{ field: n, equals: 42.0 }", "segments[0].match.equals", "write 42")]
    [InlineData("{ field: n, in: [1, 2.50] }", "segments[0].match.in[1]", "write 2.5")]
    [InlineData("{ field: n, equals: 1e3 }", "segments[0].match.equals", "write 1000")]
    public void Parse_NonCanonicalNumberOperand_IsAnError(string match, string path, string message)
    {
        var errors = MatchErrors(match);

        At(errors, path).Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("{ field: n, equals: '42.0' }")]
    [InlineData("{ field: n, equals: 007 }")]
    [InlineData("{ header: n, equals: 42.0 }")]
    public void Parse_QuotedOrNonNumberOrHeaderOperand_IsAccepted(string match) =>
        TestPolicies.Valid($"version: '1'\nsegments:\n  - name: s\n    match: {match}\n");

    [Fact]
    public void Parse_BadSchemaAndTagNames_AreErrors()
    {
        var errors = TestPolicies.Errors("""
            version: "1"
            schema:
              fields:
                zip: PII
                name: ["P I I"]
                ".x": [PII]
            tags:
              9lives: drop
            segments: [{ name: s, match: { all: [] } }]
            """);

        ShouldBeAt(At(errors, "schema.fields.zip"), 4, 10, "must be a list");
        ShouldBeAt(At(errors, "schema.fields.name[0]"), 5, 12, "not a valid tag name");
        ShouldBeAt(At(errors, "schema.fields['.x']"), 6, 5, "not a valid field path");
        ShouldBeAt(At(errors, "tags.9lives"), 8, 3, "not a valid tag name");
    }

    [Theory]
    [InlineData("masked", "exactly once")]
    [InlineData("masked.{segment}.{segment}", "exactly once")]
    [InlineData("masked/{segment}", "topic-safe")]
    [InlineData("masked.{segment}.{tenant}", "topic-safe")]
    public void Parse_BadMaskedTopicPattern_IsAnError(string pattern, string message)
    {
        var errors = TestPolicies.Errors($"""
            version: "1"
            maskedTopic: "{pattern}"
            segments: [{"{"} name: s, match: {"{"} all: [] {"}"} {"}"}]
            """);

        ShouldBeAt(At(errors, "maskedTopic"), 2, 14, message);
    }

    [Fact]
    public void Parse_BudgetWithoutCaps_NamesUnknownAndMissingKeys()
    {
        var errors = TestPolicies.Errors("""
            version: "1"
            segments:
              - name: s
                match: { all: [] }
                budget: { epsilon: 1 }
            """);

        ShouldBeAt(At(errors, "segments[0].budget.epsilon"), 5, 15, "unknown key 'epsilon'; expected one of: accountant, perWindow, lifetime");
        errors.Where(e => e.Path == "segments[0].budget").Select(e => e.Message)
            .ShouldBe(["missing required key 'perWindow'", "missing required key 'lifetime'"], ignoreOrder: true);
    }

    [Fact]
    public void Parse_BadDefaults_AreErrors()
    {
        var errors = TestPolicies.Errors("""
            version: "1"
            defaults:
              nulls: maybe
              maskChar: ""
              colour: red
            segments: [{ name: s, match: { all: [] } }]
            """);

        ShouldBeAt(At(errors, "defaults.nulls"), 3, 10, "expected one of: keep, drop");
        ShouldBeAt(At(errors, "defaults.maskChar"), 4, 13, "exactly one character");
        ShouldBeAt(At(errors, "defaults.colour"), 5, 3, "unknown key 'colour'; expected one of: nulls, maskChar");
    }

    [Fact]
    public void Parse_ManyErrors_AllCollectedInDocumentOrder()
    {
        var errors = TestPolicies.Errors("""
            version: "1"
            segments:
              - name: "a b"
                match: { field: x, equals: y, in: [z] }
                fields:
                  age: { action: generalize, bucket: -1 }
                  zip: { action: partial }
              - name: ok
                match: { header: h, regex: "(" }
                colour: blue
            """);

        errors.Count.ShouldBe(6, string.Join("\n", errors));
        errors.Select(e => e.Line).ShouldBe([3, 4, 6, 7, 9, 10]);
    }

    [Fact]
    public void Parse_SyntaxError_ReportsPosition()
    {
        var errors = TestPolicies.Errors("""
            version: "1"
            segments:
              - name: s
                match: { all: [ }
            """);

        errors.Count.ShouldBe(1);
        errors[0].Line.ShouldBe(4);
        errors[0].Message.ShouldStartWith("YAML syntax error: ");
        errors[0].Message.ShouldNotContain("(Line:");
    }

    [Fact]
    public void Parse_MalformedFlowMappingThatCrashesYamlParser_IsASyntaxError()
    {
        // YamlDotNet throws InvalidOperationException (no position) for this input; found by PolicyFuzzTests.
        var errors = TestPolicies.Errors("version: '1'\nsegments:\n  - { field: any: []\n    fields: {}\n");

        errors.ShouldHaveSingleItem().Message.ShouldStartWith("YAML syntax error");
        errors[0].Line.ShouldBeInRange(3, 4);
    }

    [Fact]
    public void Parse_TabIndentation_IsASyntaxError() =>
        TestPolicies.Errors("version: '1'\nsegments:\n\t- name: s\n")[0].Message.ShouldStartWith("YAML syntax error");

    [Fact]
    public void Parse_AliasBomb_IsRejectedQuickly()
    {
        var yaml = new System.Text.StringBuilder("version: '1'\na0: &a0 { all: [] }\n");
        for (var i = 1; i <= 30; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} {{ all: [*a{i - 1}, *a{i - 1}, *a{i - 1}] }}\n");
        }

        var errors = TestPolicies.Errors(yaml.ToString());

        errors.ShouldHaveSingleItem().Message.ShouldContain("expands to more than 100000 nodes");
    }

    [Fact]
    public void Parse_ManySegmentsBeyondTheAliasLimitWithoutAliases_IsAccepted()
    {
        // 10,000 segments write about 190,000 nodes: more than aliases may add, but none of them through an alias.
        var yaml = new System.Text.StringBuilder("version: '1'\nsegments:\n");
        for (var i = 0; i < 10_000; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"  - {{ name: s{i}, match: {{ field: tenant, equals: t{i} }}, fields: {{ id: keep, patient.id: tokenize, age: {{ action: generalize, bucket: 10 }} }} }}\n");
        }

        var result = PolicyLoader.Parse(yaml.ToString(), "many.yaml");

        result.Diagnostics.ShouldBeEmpty();
        result.Policy!.Segments.Count.ShouldBe(10_000);
    }

    [Fact]
    public void Parse_DeepNesting_IsRejectedWithoutStackOverflow()
    {
        var errors = TestPolicies.Errors("version: '1'\nsegments: " + new string('[', 200_000) + new string(']', 200_000) + "\n");

        errors.ShouldHaveSingleItem().Message.ShouldContain("nested deeper than 64 levels");
    }

    [Theory]
    [InlineData("", "the policy is empty")]
    [InlineData("- a\n- b\n", "a policy must be a mapping")]
    public void Parse_NotAPolicy_IsAnError(string yaml, string message) =>
        TestPolicies.Errors(yaml)[0].Message.ShouldContain(message);

    [Fact]
    public void Parse_TwoDocuments_IsAnError()
    {
        var errors = TestPolicies.Errors("version: '1'\nsegments: [{ name: s, match: { all: [] } }]\n---\nversion: '2'\n");

        errors.ShouldHaveSingleItem().Line.ShouldBe(3);
        errors[0].Message.ShouldContain("exactly one YAML document");
    }

    [Fact]
    public void Diagnostic_ToString_IsFileLineColumnPathMessage()
    {
        new PolicyDiagnostic("policy.yaml", 12, 7, "segments[1].fields.age.bucket", "must be a positive number").ToString()
            .ShouldBe("policy.yaml:12:7: segments[1].fields.age.bucket: must be a positive number");
        new PolicyDiagnostic("p.yaml", 1, 1, "", "the policy is empty").ToString().ShouldBe("p.yaml:1:1: the policy is empty");
    }

    [Fact]
    public void LoadFile_MissingFile_IsADiagnosticNotAnException()
    {
        var result = PolicyLoader.LoadFile("/nonexistent/policy.yaml");

        result.IsValid.ShouldBeFalse();
        result.Diagnostics.ShouldHaveSingleItem().ToString().ShouldBe("/nonexistent/policy.yaml:1:1: policy file not found");
    }

    [Fact]
    public void LoadFileOrThrow_InvalidPolicy_ThrowsWithEveryDiagnostic()
    {
        var path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "version: '1'\nsegments:\n  - name: 'a b'\n    match: { field: x }\n");
        try
        {
            var ex = Should.Throw<PolicyValidationException>(() => PolicyLoader.LoadFileOrThrow(path));

            ex.Diagnostics.Count.ShouldBe(2);
            ex.Message.ShouldContain($"{path}:3:11: segments[0].name: segment name 'a b' is not topic-safe");
            ex.Message.ShouldContain($"{path}:4:12: segments[0].match: missing an operator");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
