using Microsoft.Extensions.Logging;

namespace MarketSim.Cli.Input;

/// <summary>
/// Environment variables as input: read and checked before anything else happens, and refused with a message naming the
/// variable and what it may hold (exit 2), never a configuration binder's exception.
/// </summary>
public static class EnvironmentInput
{
    /// <summary>The log-level variable.</summary>
    public const string LogLevelVariable = "MARKETSIM_LOGLEVEL";

    /// <summary>The levels a person may give, in the order the help lists them.</summary>
    public static readonly IReadOnlyList<LogLevel> LogLevels =
        [LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical, LogLevel.None];

    /// <summary>
    /// The log level <paramref name="text"/> names (any case; unset or empty = Information); false and the problem when it
    /// names none. Numbers are refused: <c>Enum.TryParse</c> would accept "42" as a level that does not exist.
    /// </summary>
    public static bool TryLogLevel(string? text, out LogLevel level, out string? problem)
    {
        level = LogLevel.Information;
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        foreach (var candidate in LogLevels)
            if (string.Equals(candidate.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        problem = $"{LogLevelVariable}={text}: expected one of {string.Join(", ", LogLevels)}";
        return false;
    }
}
