namespace MarketSim.Cli;

/// <summary>Process exit codes; documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>The run failed while running (a bug or an I/O error); the run folder is left without _SUCCESS.</summary>
    public const int Failed = 1;
    /// <summary>Bad input: invalid scenario or command line. Nothing was written.</summary>
    public const int InvalidInput = 2;
    /// <summary>The run would need more memory than is available or allowed (--max-memory); nothing was allocated or written.</summary>
    public const int InsufficientMemory = 3;
    /// <summary>The output folder (or a sweep's dataset for this process's runs) is being written by another process; nothing was written.</summary>
    public const int Busy = 4;
    /// <summary>Stopped by Ctrl+C or SIGTERM at a step boundary; no complete run was written.</summary>
    public const int Interrupted = 130;
}
