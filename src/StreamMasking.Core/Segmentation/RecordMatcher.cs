using StreamMasking.Core.Records;

namespace StreamMasking.Core.Segmentation;

/// <summary>A compiled match rule: evaluated per record without re-reading the policy.</summary>
internal abstract class RecordMatcher
{
    public abstract bool Matches(RecordEnvelope record);
}
