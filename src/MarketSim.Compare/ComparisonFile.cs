using System.Globalization;
using MarketSim.Output;

namespace MarketSim.Compare;

/// <summary>Run identity stored in comparison.parquet's key-value metadata and stated in the report.</summary>
/// <param name="ScenarioName">Scenario name.</param>
/// <param name="BaselineName">Baseline name.</param>
/// <param name="ScenarioSha256">SHA-256 of the scenario resolved for replication 0.</param>
/// <param name="BaselineSha256">SHA-256 of the baseline resolved for replication 0.</param>
/// <param name="ScenarioYaml">Resolved scenario (replication 0).</param>
/// <param name="BaselineYaml">Resolved baseline (replication 0).</param>
/// <param name="Seeds">Seed of each replication (the same for both arms).</param>
/// <param name="Agents">Agents per run.</param>
/// <param name="ScenarioPeoplePerAgent">People per agent in the scenario.</param>
/// <param name="BaselinePeoplePerAgent">People per agent in the baseline.</param>
/// <param name="ProgramVersion">Program version.</param>
/// <param name="ScenarioTitle">Scenario display name (its <c>title</c>, else its name).</param>
/// <param name="BaselineTitle">Baseline display name.</param>
/// <param name="Posterior">The posterior ensemble the parameter sets were drawn from (its path as given), or "" without one.</param>
/// <param name="DrawRows">The ensemble's row (parameter set) of each draw, in draw order; empty without a posterior.</param>
public sealed record CompareManifest(string ScenarioName, string BaselineName, string ScenarioSha256, string BaselineSha256,
    string ScenarioYaml, string BaselineYaml, IReadOnlyList<ulong> Seeds, long Agents, double ScenarioPeoplePerAgent,
    double BaselinePeoplePerAgent, string ProgramVersion, string ScenarioTitle = "", string BaselineTitle = "",
    string Posterior = "", IReadOnlyList<int>? DrawRows = null)
{
    /// <summary>Parameter sets drawn from the posterior (K), 0 without one.</summary>
    public int Draws => DrawRows?.Count ?? 0;

    /// <summary>Replications of each parameter set (all runs without a posterior).</summary>
    public int ReplicationsPerDraw => Draws > 0 ? Replications / Draws : Replications;

    /// <summary>The scenario's display name.</summary>
    public string ScenarioDisplay => ScenarioTitle.Length > 0 ? ScenarioTitle : ScenarioName;

    /// <summary>The baseline's display name.</summary>
    public string BaselineDisplay => BaselineTitle.Length > 0 ? BaselineTitle : BaselineName;

    /// <summary>Version of comparison.parquet's columns; bumped when one is renamed, removed or retyped.</summary>
    public const string SchemaVersion = "2";

    /// <summary>Units sentence stored in the file.</summary>
    public const string Units =
        "Differences are scenario - baseline. annual_active, net_flow, cumulative_net_flow: people (agents x people_per_agent); " +
        "gmv, supplied_gmv: yuan per step; primary_share: a fraction 0..1 as in metrics.parquet (levels and differences; x 100 for percentage points).";

    /// <summary>Runs of each arm: replications × draws under a posterior.</summary>
    public int Replications => Seeds.Count;

    /// <summary>Builds the manifest of a plan.</summary>
    public static CompareManifest Of(ComparePlan plan, CompareRuns runs, string programVersion) => new(
        plan.Scenario.Name, plan.Baseline.Name, plan.ScenarioLoad.Sha256, plan.BaselineLoad.Sha256,
        plan.ScenarioLoad.ResolvedYaml, plan.BaselineLoad.ResolvedYaml, plan.Seeds, plan.Agents,
        runs.Get(0, Arm.Scenario).PeoplePerAgent, runs.Get(0, Arm.Baseline).PeoplePerAgent, programVersion,
        plan.Scenario.DisplayName(), plan.Baseline.DisplayName(),
        plan.Request.Ensemble?.Path ?? "", plan.Posterior ? plan.DrawRows : null);

    /// <summary>Key-value metadata: no wall-clock time, so identical inputs give identical bytes.</summary>
    public IReadOnlyDictionary<string, string> Metadata(int? firstDifferentStep, DateOnly[] dates)
    {
        var meta = BaseMetadata(firstDifferentStep, dates);
        if (Draws > 0)
        {
            // Only under a posterior, so a comparison without one keeps its bytes.
            meta["marketsim.posterior"] = Posterior;
            meta["marketsim.posterior_draws"] = Draws.ToString(CultureInfo.InvariantCulture);
            meta["marketsim.posterior_rows"] = string.Join(",", DrawRows!.Select(r => r.ToString(CultureInfo.InvariantCulture)));
        }
        return meta;
    }

    private Dictionary<string, string> BaseMetadata(int? firstDifferentStep, DateOnly[] dates) => new()
    {
        ["marketsim.version"] = ProgramVersion,
        ["marketsim.schema_version"] = SchemaVersion,
        ["marketsim.kind"] = "comparison",
        [RunOutputWriter.ScenarioKey] = ScenarioYaml,
        ["marketsim.scenario_name"] = ScenarioName,
        ["marketsim.scenario_sha256"] = ScenarioSha256,
        ["marketsim.baseline"] = BaselineYaml,
        ["marketsim.baseline_name"] = BaselineName,
        ["marketsim.baseline_sha256"] = BaselineSha256,
        ["marketsim.seed"] = Seeds[0].ToString(CultureInfo.InvariantCulture),
        ["marketsim.seeds"] = string.Join(",", Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture))),
        ["marketsim.replications"] = ReplicationsPerDraw.ToString(CultureInfo.InvariantCulture),
        ["marketsim.agents"] = Agents.ToString(CultureInfo.InvariantCulture),
        ["marketsim.people_per_agent"] = ScenarioPeoplePerAgent.ToString("R", CultureInfo.InvariantCulture),
        ["marketsim.baseline_people_per_agent"] = BaselinePeoplePerAgent.ToString("R", CultureInfo.InvariantCulture),
        ["marketsim.confidence"] = ComparisonTable.Confidence.ToString("R", CultureInfo.InvariantCulture),
        ["marketsim.first_difference_date"] = firstDifferentStep is { } k ? dates[k].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
        ["marketsim.units"] = Units,
    };
}

/// <summary>Writes and reads comparison.parquet (schema: docs/compare.md).</summary>
public static class ComparisonFile
{
    /// <summary>File name in a comparison folder.</summary>
    public const string FileName = "comparison.parquet";

    /// <summary>Name used for all tiers together in the <c>tier</c> column.</summary>
    public const string AllTiers = "all";

    // One row: the table and a row index into its columns (keys decoded by the table's layout).
    private static readonly OneShotTable<(ComparisonTable T, int I)> Table = new OneShotTable<(ComparisonTable T, int I)>()
        .IntColumn("step", x => x.T.Keys(x.I).Step)
        .DateColumn("date", x => x.T.Dates[x.T.Keys(x.I).Step])
        .StringColumn("metric", x => x.T.Keys(x.I).Metric.Id)
        .StringColumn("unit", x => x.T.Keys(x.I).Metric.Unit)
        .StringColumn("tier", x => x.T.Keys(x.I).Tier is var t && t < x.T.Dimensions.Tiers ? x.T.Dimensions.TierIds[t] : AllTiers)
        .StringColumn("platform", x => x.T.Dimensions.PlatformIds[x.T.Keys(x.I).Platform])
        .NullableStringColumn("counterpart", x => x.T.Keys(x.I).Counterpart is var q && q >= 0 ? x.T.Dimensions.PlatformIds[q] : null)
        .DoubleColumn("scenario_mean", x => x.T.ScenarioMean[x.I])
        .DoubleColumn("baseline_mean", x => x.T.BaselineMean[x.I])
        .DoubleColumn("mean_difference", x => x.T.MeanDifference[x.I])
        .NullableDoubleColumn("sd_difference", x => x.T.SdDifference[x.I])
        .NullableDoubleColumn("ci_low", x => x.T.CiLow[x.I])
        .NullableDoubleColumn("ci_high", x => x.T.CiHigh[x.I])
        .NullableBoolColumn("significant", x => x.T.Significant[x.I])
        .IntColumn("replications", x => x.T.Replications)
        .IntColumn("draws", x => x.T.Draws)
        .NullableDoubleColumn("parameter_share", x => x.T.ParameterShare[x.I]);

    /// <summary>
    /// Publishes the table as <paramref name="path"/> (<see cref="AtomicFile"/>).
    /// Whole steps per row group, about 100 000 rows each.
    /// </summary>
    public static Task WriteAsync(string path, ComparisonTable table, IReadOnlyDictionary<string, string> metadata,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        // Row groups of whole steps, about 100 000 rows each.
        int stepsPerGroup = Math.Max(1, 100_000 / table.RowsPerStep);
        var rows = Enumerable.Range(0, table.Rows).Select(i => (table, i)).ToList();
        return Table.WriteAsync(path, rows, metadata, stepsPerGroup * table.RowsPerStep, ct);
    }

    /// <summary>One row of comparison.parquet as read back.</summary>
    public sealed record Row(int Step, DateOnly Date, string Metric, string Unit, string Tier, string Platform, string? Counterpart,
        double ScenarioMean, double BaselineMean, double MeanDifference, double? SdDifference, double? CiLow, double? CiHigh,
        bool? Significant, int Replications, int Draws = 0, double? ParameterShare = null);

    /// <summary>Reads every row and the key-value metadata (for tests and tools; the report is built from memory).</summary>
    public static async Task<(IReadOnlyList<Row> Rows, IReadOnlyDictionary<string, string> Metadata)> ReadAsync(string path,
        CancellationToken ct = default)
    {
        var t = await Table.ReadAsync(path, ct);
        var (step, date, metric, unit) = (t.Get<int>("step"), t.Get<DateOnly>("date"), t.Get<string?>("metric"), t.Get<string?>("unit"));
        var (tier, platform, counterpart) = (t.Get<string?>("tier"), t.Get<string?>("platform"), t.Get<string?>("counterpart"));
        var (sm, bm, md) = (t.Get<double>("scenario_mean"), t.Get<double>("baseline_mean"), t.Get<double>("mean_difference"));
        var (sd, lo, hi, sig) = (t.Get<double?>("sd_difference"), t.Get<double?>("ci_low"), t.Get<double?>("ci_high"), t.Get<bool?>("significant"));
        var (reps, draws, share) = (t.Get<int>("replications"), t.Get<int>("draws"), t.Get<double?>("parameter_share"));
        var rows = new List<Row>(t.Rows);
        for (int i = 0; i < t.Rows; i++)
            rows.Add(new Row(step[i], date[i], metric[i]!, unit[i]!, tier[i]!, platform[i]!, counterpart[i], sm[i], bm[i], md[i],
                sd[i], lo[i], hi[i], sig[i], reps[i], draws[i], share[i]));
        return (rows, t.Metadata);
    }
}
