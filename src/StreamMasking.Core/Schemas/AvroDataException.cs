namespace StreamMasking.Core.Schemas;

/// <summary>
/// Avro bytes or values that do not fit their schema. The message names the problem and the field path, never a
/// value, so it may be logged.
/// </summary>
public sealed class AvroDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AvroDataException(AvroDataProblem problem, string path, string message)
        : base($"{message} (at '{(path.Length == 0 ? "$" : path)}')")
    {
        Problem = problem;
        Path = path;
    }

    /// <summary>Creates the exception without details.</summary>
    public AvroDataException()
        : this(AvroDataProblem.Corrupt, "", "invalid Avro data")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AvroDataException(string message)
        : this(AvroDataProblem.Corrupt, "", message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public AvroDataException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "";
    }

    /// <summary>What kind of problem it is.</summary>
    public AvroDataProblem Problem { get; }

    /// <summary>Dotted field path where it was found ("" for the top level).</summary>
    public string Path { get; }
}
