namespace StreamMasking.Runtime.Processing;

/// <summary>
/// Whether every loop (each stream thread of each stage) of this pipeline instance has read all there is on its
/// assigned input partitions (consumer lag 0, nothing buffered); loops are named by <see cref="StageSettings.LoopName"/>. Idle close and source idleness count only time observed while this holds: while the
/// route stage still has a backlog, the mask stage's input is quiet only because the records have not been routed
/// yet, not because none exist. Each loop reports from its own thread; readers may be on another.
/// </summary>
internal sealed class CatchUpSignal
{
    private readonly string[] _stages;
    private readonly int[] _caughtUp;

    internal CatchUpSignal(IEnumerable<string> stages)
    {
        _stages = [.. stages];
        _caughtUp = new int[_stages.Length];
    }

    /// <summary>True once every stage last reported that it is caught up (false until each has reported).</summary>
    internal bool AllCaughtUp
    {
        get
        {
            for (var i = 0; i < _caughtUp.Length; i++)
            {
                if (Volatile.Read(ref _caughtUp[i]) == 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>A run starts: no stage has reported yet.</summary>
    internal void Reset()
    {
        for (var i = 0; i < _caughtUp.Length; i++)
        {
            Volatile.Write(ref _caughtUp[i], 0);
        }
    }

    /// <summary>Records whether <paramref name="stage"/> is caught up; a stage this signal does not know is ignored.</summary>
    internal void Report(string stage, bool caughtUp)
    {
        var index = Array.IndexOf(_stages, stage);
        if (index >= 0)
        {
            Volatile.Write(ref _caughtUp[index], caughtUp ? 1 : 0);
        }
    }
}
