namespace StreamMasking.Testing;

/// <summary>Exit code and output of a program run.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
