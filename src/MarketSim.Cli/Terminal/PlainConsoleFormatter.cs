using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace MarketSim.Cli.Terminal;

/// <summary>
/// Log lines for people: "12:34:56 info: message", without the logger's class name and event id that the simple
/// console formatter prints ("MarketSim.Cli.Runs.CompareJob[0]"), which mean nothing to a user; exceptions follow
/// on their own lines.
/// </summary>
public sealed class PlainConsoleFormatter() : ConsoleFormatter(Name)
{
    /// <summary>The formatter's name in logging configuration.</summary>
    public new const string Name = "plain";

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string? message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;
        textWriter.Write(DateTime.Now.ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.WriteLine(message);
        if (logEntry.Exception is { } e) textWriter.WriteLine(e.ToString());
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
