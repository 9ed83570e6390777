using MarketSim.ScenarioFiles;

namespace MarketSim.Sweeps;

/// <summary>
/// Every point of a sweep's plan checked as a scenario before anything runs or is written: a value of a list, a grid
/// combination or a drawn point that the scenario's validator refuses is reported at the sweep file's line for the
/// parameter, instead of failing that run after the dataset exists. It walks <see cref="SweepPlan.Runs"/>, so it covers
/// any design the plan can produce.
/// </summary>
internal static class SweepPointCheck
{
    /// <summary>At most this many problems are reported: one bad range usually spoils many points in the same way.</summary>
    private const int MaxProblems = 20;

    /// <summary>
    /// Problems of the points of <paramref name="plan"/>. <paramref name="markOf"/> gives the line and column of a
    /// parameter's key; <paramref name="fallback"/> is where a problem that belongs to no parameter is reported.
    /// </summary>
    public static List<ScenarioProblem> Check(SweepPlan plan, string display, Func<string, (int Line, int Column)> markOf,
        (int Line, int Column) fallback, Func<string, IEnumerable<string>, string?> owner)
    {
        var spec = plan.Spec;
        var problems = new List<ScenarioProblem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var paths = spec.Parameters.Select(p => p.Path).ToList();
        // Replications differ only in the seed, which no rule looks at: one run per point is checked.
        foreach (var run in plan.Runs.Where(r => r.Replication == 0))
        {
            var loaded = ScenarioLoader.Load(spec.ScenarioPath, plan.Overrides(run));
            if (loaded.Ok) continue;
            string point = $"at point {run.Point} (" +
                           string.Join(", ", spec.Parameters.Select((p, d) => $"{p.Path}={SweepParameter.OverrideText(run.Values[d])}")) + ")";
            foreach (var problem in loaded.Problems)
            {
                string? where = problem.File == ScenarioComposerName ? owner(problem.Key, paths) : null;
                if (!seen.Add($"{where}|{problem.Key}|{problem.Message}")) continue;
                if (where is not null)
                {
                    var (line, column) = markOf(where);
                    string inner = problem.Key != where && problem.Key.Length > 0 ? $" (scenario key {problem.Key})" : "";
                    problems.Add(new ScenarioProblem(display, line, column, $"parameters.{where}", $"{point}: {problem.Message}{inner}"));
                }
                else
                    problems.Add(new ScenarioProblem(display, fallback.Line, fallback.Column, "parameters",
                        $"{point}: the scenario is invalid: {problem}"));
                if (problems.Count >= MaxProblems) return problems;
            }
        }
        return problems;
    }

    /// <summary>How the scenario loader names values given as overrides.</summary>
    private const string ScenarioComposerName = "command line";
}
