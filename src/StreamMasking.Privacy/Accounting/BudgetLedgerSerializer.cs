using System.Text;

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// Versioned little-endian binary form of a <see cref="BudgetLedger"/>. Doubles are stored bit-exactly and windows
/// and debits in a canonical order, so <c>ToBytes(FromBytes(b)) == b</c>. Reading re-derives every window's totals
/// from its debits and rejects state whose stored totals disagree.
/// </summary>
/// <remarks>
/// Layout v1: version byte; accountant kind byte + parameter double; window cap; lifetime cap; retained windows
/// (int32); sealed-below (int64); sequence (int64); lifetime spend; window count (int32); per window: index (int64),
/// spend, debit count (int32), per debit in sequence order: sequence (int64), name length (uint16) + UTF-8 name,
/// cost. Layout v2 (written): as v1 with the binding (content hash, length-prefixed UTF-8) after the version byte, each debit followed by its value digest (length-prefixed UTF-8, empty for none);
/// v1 state is still read (its debits have no digest). A cost is kind byte + ε, δ, ρ doubles; a spend is ε, δ, ρ, Σε² doubles + count (int64).
/// </remarks>
internal static class BudgetLedgerSerializer
{
    public const byte Version = 2;
    private const byte LegacyVersion = 1;

    public static byte[] Write(
        BudgetLedger ledger,
        PrivacySpend lifetime,
        long sealedBelow,
        long sequence,
        SortedDictionary<long, LedgerWindow> windows)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(ledger.Binding);
            writer.Write((byte)ledger.Accountant.Kind);
            writer.Write(ledger.Accountant.Parameter.Value);
            WriteCost(writer, ledger.WindowCap);
            WriteCost(writer, ledger.LifetimeCap);
            writer.Write(ledger.RetainedWindows);
            writer.Write(sealedBelow);
            writer.Write(sequence);
            WriteSpend(writer, lifetime);
            writer.Write(windows.Count);
            foreach (var (index, window) in windows)
            {
                writer.Write(index);
                WriteSpend(writer, window.Spend);
                writer.Write(window.Debits.Count);
                foreach (var debit in window.Debits.Values.OrderBy(d => d.Sequence))
                {
                    writer.Write(debit.Sequence);
                    var name = Encoding.UTF8.GetBytes(debit.Key.Name);
                    writer.Write((ushort)name.Length);
                    writer.Write(name);
                    WriteCost(writer, debit.Cost);
                    writer.Write(debit.ValueDigest);
                }
            }
        }

        return stream.ToArray();
    }

    public static BudgetLedger Read(ReadOnlySpan<byte> state)
    {
        try
        {
            using var stream = new MemoryStream(state.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            var version = reader.ReadByte();
            if (version is not (Version or LegacyVersion))
            {
                throw new FormatException($"Unsupported ledger state version {version}.");
            }

            var binding = version == Version ? reader.ReadString() : string.Empty;

            var accountant = PrivacyAccountant.Create((AccountantKind)reader.ReadByte(), new Delta(reader.ReadDouble()));
            var windowCap = ReadCost(reader);
            var lifetimeCap = ReadCost(reader);
            var retained = reader.ReadInt32();
            var sealedBelow = reader.ReadInt64();
            var sequence = reader.ReadInt64();
            var lifetime = ReadSpend(reader);
            var windowCount = ReadCount(reader);
            var windows = new SortedDictionary<long, LedgerWindow>();
            var previousIndex = long.MinValue;
            for (var w = 0; w < windowCount; w++)
            {
                var index = reader.ReadInt64();
                if ((w > 0 && index <= previousIndex) || index < sealedBelow)
                {
                    throw new FormatException("Ledger windows are out of order or sealed.");
                }

                previousIndex = index;
                var window = new LedgerWindow { Spend = ReadSpend(reader) };
                var debitCount = ReadCount(reader);
                PrivacySpend recomputed = default;
                for (var d = 0; d < debitCount; d++)
                {
                    var debitSequence = reader.ReadInt64();
                    var name = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadUInt16()));
                    var cost = ReadCost(reader);
                    var digest = version == Version ? reader.ReadString() : string.Empty;
                    if (debitSequence < 1 || debitSequence > sequence)
                    {
                        throw new FormatException("Debit sequence out of range.");
                    }

                    window.Debits.Add(name, new DebitRecord(new ReleaseKey(index, name), cost, debitSequence, digest));
                    recomputed = recomputed.Add(cost);
                }

                if (recomputed != window.Spend)
                {
                    throw new FormatException("Ledger window totals do not match its debits.");
                }

                windows.Add(index, window);
            }

            if (stream.Position != stream.Length)
            {
                throw new FormatException("Trailing bytes after ledger state.");
            }

            return new BudgetLedger(accountant, windowCap, lifetimeCap, retained, lifetime, sealedBelow, sequence, windows) { Binding = binding };
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException)
        {
            throw new FormatException("Corrupt ledger state.", e);
        }
    }

    private static int ReadCount(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        return count >= 0 ? count : throw new FormatException("Negative count in ledger state.");
    }

    private static void WriteCost(BinaryWriter writer, PrivacyCost cost)
    {
        writer.Write((byte)cost.Kind);
        writer.Write(cost.Epsilon.Value);
        writer.Write(cost.Delta.Value);
        writer.Write(cost.Rho.Value);
    }

    private static PrivacyCost ReadCost(BinaryReader reader) =>
        PrivacyCost.FromParts((PrivacyCostKind)reader.ReadByte(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());

    private static void WriteSpend(BinaryWriter writer, PrivacySpend spend)
    {
        writer.Write(spend.Epsilon.Value);
        writer.Write(spend.Delta.Value);
        writer.Write(spend.Rho.Value);
        writer.Write(spend.EpsilonSquared);
        writer.Write(spend.Count);
    }

    private static PrivacySpend ReadSpend(BinaryReader reader) => new(
        new Epsilon(reader.ReadDouble()),
        new Delta(reader.ReadDouble()),
        new Rho(reader.ReadDouble()),
        reader.ReadDouble(),
        reader.ReadInt64());
}
