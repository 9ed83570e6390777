namespace MarketSim.ScenarioFiles;

/// <summary>One thing wrong with a scenario, located the way an editor locates it.</summary>
/// <param name="File">File the problem is in (as the user named it), or "command line" for an override.</param>
/// <param name="Line">1-based line, 0 when no line applies (a missing file, an override).</param>
/// <param name="Column">1-based column, 0 when no line applies.</param>
/// <param name="Key">Dotted key path, e.g. <c>platforms.jd.quality</c>; empty for the file as a whole.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record ScenarioProblem(string File, int Line, int Column, string Key, string Message)
{
    /// <summary>The problem as one line, <c>file:line:column: key: message</c>, the format editors and CI logs link.</summary>
    public override string ToString()
    {
        string where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return Key.Length > 0 ? $"{where}: {Key}: {Message}" : $"{where}: {Message}";
    }
}
