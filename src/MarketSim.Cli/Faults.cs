namespace MarketSim.Cli;

/// <summary>
/// How faults reach a person: an input or environment fault (a file, a folder, a full or read-only disk) as one
/// <c>error:</c> line naming the path and the cause; anything else is a bug, said to be one, with its stack trace.
/// </summary>
public static class Faults
{
    /// <summary>True for exceptions the environment causes (file system, permissions), never the program's logic.</summary>
    public static bool IsEnvironmental(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>
    /// Null when <paramref name="folder"/> can be a run's output folder; otherwise why not: it is an existing file, or
    /// a path below one (an invalid command line: exit code 2).
    /// </summary>
    public static string? OutputFolderProblem(string folder, string option = "--out")
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (File.Exists(folder)) return $"{option} {folder}: is an existing file, expected a folder (new or to reuse)";
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(folder)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir)) break;
            if (File.Exists(dir)) return $"{option} {folder}: {dir} is a file, so no folder can be made below it";
        }
        return null;
    }

    /// <summary>The cause of an environmental fault in a person's words; .NET's messages already name the path.</summary>
    public static string Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => e.Message.TrimEnd('.') + " (permission denied or a read-only file system)",
        _ when e.HResult == 28 || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) => e.Message.TrimEnd('.') + " (the disk is full)",
        _ => e.Message.TrimEnd('.'),
    };

    /// <summary>
    /// Reports an exception no command handled and returns the exit code (1). Environmental faults give one line; any
    /// other exception is a bug: one line saying so and asking for a report, then the stack trace for that report.
    /// </summary>
    public static int Report(Exception e, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(error);
        if (e is AggregateException { InnerExceptions.Count: 1 } single) e = single.InnerExceptions[0];
        if (IsEnvironmental(e))
        {
            error.WriteLine($"error: {Describe(e)}");
            return ExitCodes.Failed;
        }
        error.WriteLine($"error: internal error ({e.GetType().Name}: {e.Message}). This is a bug in MarketSim {Runs.RunJob.ProgramVersion}: " +
                        "please report it with the command line and the details below.");
        error.WriteLine(e.ToString());
        return ExitCodes.Failed;
    }
}
