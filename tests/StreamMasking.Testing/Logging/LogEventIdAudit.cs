using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace StreamMasking.Testing.Logging;

/// <summary>
/// Holds the <see cref="LoggerMessageAttribute"/> methods of an assembly to its <c>Diagnostics.LogEventIds</c>
/// registry: ids unique, every id a registered constant, every constant used, every constant in one declared range,
/// ranges disjoint.
/// </summary>
public static class LogEventIdAudit
{
    private const BindingFlags AllDeclared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    /// <summary>Every <c>[LoggerMessage]</c> method of the assembly as (type.method, event id).</summary>
    public static IReadOnlyList<(string Method, int Id)> LoggerMessages(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetTypes()
            .SelectMany(t => t.GetMethods(AllDeclared))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => ($"{x.Method.DeclaringType!.Name}.{x.Method.Name}", x.Attribute!.EventId))
            .OrderBy(x => x.Item2)
            .ToList();
    }

    /// <summary>The registry type of the assembly: <c>{namespace}.Diagnostics.LogEventIds</c>.</summary>
    public static Type Registry(Assembly assembly, string rootNamespace)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetType(rootNamespace + ".Diagnostics.LogEventIds", throwOnError: true)!;
    }

    /// <summary>The <c>const int</c> fields of the registry by name.</summary>
    public static IReadOnlyDictionary<string, int> Constants(Type registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
    }

    /// <summary>The declared <c>Ranges</c> of the registry.</summary>
    public static IReadOnlyList<(int First, int Last, string Area)> Ranges(Type registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var field = registry.GetField("Ranges", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{registry.FullName} declares no Ranges");
        return (IReadOnlyList<(int First, int Last, string Area)>)field.GetValue(null)!;
    }

    /// <summary>Every problem of the assembly's log ids; empty when the registry holds.</summary>
    public static IReadOnlyList<string> Problems(Assembly assembly, string rootNamespace)
    {
        var registry = Registry(assembly, rootNamespace);
        return Problems(LoggerMessages(assembly), Constants(registry), Ranges(registry));
    }

    /// <summary>Every problem of the given messages, constants and ranges; empty when they agree.</summary>
    public static IReadOnlyList<string> Problems(
        IReadOnlyList<(string Method, int Id)> messages,
        IReadOnlyDictionary<string, int> constants,
        IReadOnlyList<(int First, int Last, string Area)> ranges)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(constants);
        ArgumentNullException.ThrowIfNull(ranges);
        var problems = new List<string>();
        foreach (var group in messages.GroupBy(m => m.Id).Where(g => g.Count() > 1))
        {
            problems.Add(Format($"event id {group.Key} is used by {string.Join(", ", group.Select(m => m.Method))}"));
        }

        foreach (var group in constants.GroupBy(c => c.Value).Where(g => g.Count() > 1))
        {
            problems.Add(Format($"event id {group.Key} is registered as {string.Join(", ", group.Select(c => c.Key))}"));
        }

        var registered = constants.Values.ToHashSet();
        foreach (var message in messages.Where(m => !registered.Contains(m.Id)))
        {
            problems.Add(Format($"{message.Method} uses event id {message.Id}, which is not a constant of the registry"));
        }

        var used = messages.Select(m => m.Id).ToHashSet();
        foreach (var constant in constants.Where(c => !used.Contains(c.Value)))
        {
            problems.Add(Format($"registry constant {constant.Key} = {constant.Value} is used by no log message"));
        }

        foreach (var constant in constants)
        {
            var count = ranges.Count(r => r.First <= constant.Value && constant.Value <= r.Last);
            if (count != 1)
            {
                problems.Add(Format($"registry constant {constant.Key} = {constant.Value} lies in {count} declared ranges, not one"));
            }
        }

        var ordered = ranges.OrderBy(r => r.First).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].First > ordered[i].Last)
            {
                problems.Add(Format($"range {ordered[i].Area} is empty ({ordered[i].First}–{ordered[i].Last})"));
            }

            if (i > 0 && ordered[i].First <= ordered[i - 1].Last)
            {
                problems.Add(Format($"ranges {ordered[i - 1].Area} and {ordered[i].Area} overlap"));
            }
        }

        return problems;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
