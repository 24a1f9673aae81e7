using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StreamMasking.Core.Masking.Operations;
using StreamMasking.Core.Policy.Actions;

namespace StreamMasking.Core.Tests.Masking;

public sealed class ActionPropertyTests
{
    [Property(MaxTest = 500)]
    public Property Bucket_Range_ContainsTheValue() =>
        Prop.ForAll(Gen.Choose(-1_000_000, 1_000_000).ToArbitrary(), Gen.Choose(1, 5000).ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(),
            (raw, rawWidth, scale) =>
            {
                var value = raw / 100m;
                var width = rawWidth / (decimal)Math.Pow(10, scale);
                var op = new BucketOperation(width, BucketOutput.Range);
                op.TryApply(System.Text.Json.Nodes.JsonValue.Create(value), out var result).ShouldBeTrue();
                var text = result!.GetValue<string>();
                var bounds = text.Trim('[', ')').Split(',').Select(b => decimal.Parse(b, CultureInfo.InvariantCulture)).ToArray();
                return bounds[0] <= value && value < bounds[1] && bounds[1] - bounds[0] == width && bounds[0] % width == 0;
            });

    [Property(MaxTest = 500)]
    public Property Partial_KeepsLengthAndNeverRevealsAWholeValue() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyString>(), Gen.Choose(0, 4).ToArbitrary(), Gen.Choose(0, 4).ToArbitrary(),
            (input, first, last) =>
            {
                var text = input.Get.Replace("\u0001", "", StringComparison.Ordinal);
                var op = new PartialMaskOperation(first, last, "\u0001");
                op.TryApply(System.Text.Json.Nodes.JsonValue.Create(text), out var result).ShouldBeTrue();
                var masked = result!.GetValue<string>();
                var count = TextElements.Boundaries(text).Length - 1;
                var maskedCount = masked.Count(c => c == '\u0001');
                return TextElements.Boundaries(masked).Length - 1 == count
                    && maskedCount == (count <= first + last ? count : count - first - last)
                    && (count == 0 || maskedCount > 0);
            });
}
