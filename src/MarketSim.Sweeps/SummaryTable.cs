using System.Globalization;
using MarketSim.Output;

namespace MarketSim.Sweeps;

/// <summary>
/// Writes summary.parquet: one row per run of the design with its parameters and every named output (the effect, and
/// with a baseline arm each arm's level as <c>NAME_scenario</c>, <c>NAME_baseline</c>); outputs are null for runs that
/// are not ok. Built from the runs' markers like runs.parquet, so it is the same however the sweep was run, sharded or
/// resumed. Its key-value metadata carries what the analysis needs to know of the design.
/// </summary>
public static class SummaryTable
{
    /// <summary>File name in the sweep folder.</summary>
    public const string FileName = "summary.parquet";

    /// <summary>Columns of the named outputs, in file order.</summary>
    public static IReadOnlyList<string> OutputColumns(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.NamedOutputs.SelectMany(o => spec.HasBaselineArm ? new[] { o.Name, o.Name + "_scenario", o.Name + "_baseline" } : [o.Name]).ToList();
    }

    /// <summary>The key-value metadata: design, parameters (column, min, max), outputs and analysis options.</summary>
    public static Dictionary<string, string> Metadata(SweepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var s = plan.Spec;
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var a = s.Analysis ?? AnalysisOptions.Default;
        return new Dictionary<string, string>
        {
            ["marketsim.version"] = plan.ProgramVersion,
            ["marketsim.kind"] = "sweep_summary",
            ["marketsim.sweep_name"] = s.Name,
            ["marketsim.sweep"] = plan.ResolvedYaml(),
            ["marketsim.design"] = s.Design.Name,
            ["marketsim.design_points"] = plan.Points.ToString(CultureInfo.InvariantCulture),
            ["marketsim.design_base"] = s.Design.Base.ToString(CultureInfo.InvariantCulture),
            ["marketsim.design_levels"] = s.Design.Levels.ToString(CultureInfo.InvariantCulture),
            ["marketsim.design_second_order"] = s.Design.SecondOrder ? "true" : "false",
            ["marketsim.design_seed"] = s.Design.Seed.ToString(CultureInfo.InvariantCulture),
            ["marketsim.replications"] = s.Replications.ToString(CultureInfo.InvariantCulture),
            ["marketsim.parameters"] = string.Join("\n", s.Parameters.Select(p =>
                $"{p.Column}\t{p.Path}\t{(p.IsRange ? F(p.Min!.Value) : "")}\t{(p.IsRange ? F(p.Max!.Value) : "")}")),
            ["marketsim.outputs"] = string.Join("\n", s.NamedOutputs.Select(o => $"{o.Name}\t{o.ResolvedText()}")),
            ["marketsim.effect_of"] = string.Join(",", s.Baseline),
            ["marketsim.analysis"] = $"after_sweep={(a.AfterSweep ? "true" : "false")};bootstrap={a.Bootstrap};seed={a.Seed};bins={a.Bins}",
        };
    }

    /// <summary>Publishes <paramref name="path"/> atomically (<see cref="AtomicFile"/>).</summary>
    public static async Task WriteAsync(string path, SweepPlan plan, IReadOnlyList<RunState> states, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(states);
        var outputColumns = OutputColumns(plan.Spec);
        var table = new OneShotTable<(SweepRun Run, RunState State)>()
            .IntColumn("run", x => x.Run.Index)
            .IntColumn("point", x => x.Run.Point)
            .IntColumn("replication", x => x.Run.Replication)
            .ULongColumn("seed", x => x.Run.Seed)
            .ParameterColumns(plan.Spec.Parameters)
            .StringColumn("status", x => x.State.Status);
        // A run's value of each named output; NULL unless the run is done.
        foreach (string name in outputColumns)
            table.NullableDoubleColumn(name, x => x.State.Status == "ok" && x.State.Outputs?.FirstOrDefault(kv => kv.Key == name) is { Key: not null } kv
                ? kv.Value : null);
        await table.WriteAsync(path, plan.Runs.Zip(states).ToList(), Metadata(plan), ct).ConfigureAwait(false);
    }
}
