using System.Globalization;

namespace StreamMasking.Chaos.Tests;

/// <summary>Resident memory, threads and open files of a Linux process, read from <c>/proc/PID</c>.</summary>
internal sealed record ProcessResources(long ResidentBytes, int Threads, int OpenFiles)
{
    internal static ProcessResources Read(int pid)
    {
        long resident = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:	  123456 kB"
                resident = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return new ProcessResources(resident, threads, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length);
    }
}
