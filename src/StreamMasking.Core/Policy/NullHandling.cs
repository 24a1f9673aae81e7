namespace StreamMasking.Core.Policy;

/// <summary>What a JSON <c>null</c> in a named field becomes (for every action except <c>drop</c>).</summary>
public enum NullHandling
{
    /// <summary>The output carries <c>null</c> (a null holds no value to protect). The default.</summary>
    Keep,

    /// <summary>The field is absent from the output.</summary>
    Drop,
}
