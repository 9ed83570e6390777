namespace MarketSim.Scenarios;

/// <summary>One rule a scenario breaks, addressed the way the scenario file spells it.</summary>
/// <param name="Path">
/// Dotted key path as written in a scenario file, with list indices in brackets, for example
/// <c>platforms.jd.quality</c> or <c>alliances.jd-kuaishou.members[1]</c>. A value that is missing is addressed by
/// the path it would have (<c>platforms.jd.delivery_days.t3</c>), so that a loader can point at the closest
/// ancestor that exists in the file.
/// </param>
/// <param name="Message">What was expected and what was found, for a person to read.</param>
public sealed record ScenarioIssue(string Path, string Message)
{
    /// <summary>
    /// Other keys whose values bring the rule about (a limit reached by several values together). A loader reports the
    /// issue at whichever of them the user set last (the command line, then the file given, before the files it
    /// extends), so that a child's value is blamed at the child's line; empty when only <see cref="Path"/> applies.
    /// </summary>
    public IReadOnlyList<string> Also { get; init; } = [];

    /// <summary>The issue as <c>path: message</c>.</summary>
    public override string ToString() => $"{Path}: {Message}";
}
