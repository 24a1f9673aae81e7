namespace StreamMasking.Core.Policy.Actions;

/// <summary>How a numeric bucket is written.</summary>
public enum BucketOutput
{
    /// <summary>A string <c>"[lower,upper)"</c>, e.g. <c>"[40,50)"</c>. The default.</summary>
    Range,

    /// <summary>The bucket's lower bound as a JSON number, e.g. <c>40</c>.</summary>
    Lower,
}
