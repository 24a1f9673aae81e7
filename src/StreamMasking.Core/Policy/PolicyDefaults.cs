namespace StreamMasking.Core.Policy;

/// <summary>Policy-wide defaults (the <c>defaults:</c> section).</summary>
public sealed class PolicyDefaults
{
    /// <summary>The defaults used when the section is absent.</summary>
    public static PolicyDefaults Standard { get; } = new(NullHandling.Keep, "*");

    /// <summary>Creates defaults.</summary>
    public PolicyDefaults(NullHandling nulls, string maskChar)
    {
        Nulls = nulls;
        MaskChar = maskChar;
    }

    /// <summary>What a JSON null in a named field becomes. Default <see cref="NullHandling.Keep"/>.</summary>
    public NullHandling Nulls { get; }

    /// <summary>The mask character of <c>partial</c> actions that do not set their own. Default <c>*</c>.</summary>
    public string MaskChar { get; }
}
