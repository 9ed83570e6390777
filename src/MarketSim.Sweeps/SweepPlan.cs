using System.Globalization;
using System.Text;
using MarketSim.Output;
using MarketSim.Randomness;

namespace MarketSim.Sweeps;

/// <summary>One run of a sweep: a design point and a replication.</summary>
/// <param name="Index">Run index = point × replications + replication; stable, so shards and resumed sweeps agree.</param>
/// <param name="Id">Zero-padded index as it appears in paths (<c>run=000012</c>).</param>
/// <param name="Point">Design point index.</param>
/// <param name="Replication">Replication index.</param>
/// <param name="Seed">Scenario seed of the run (same for replication r of every point: common random numbers).</param>
/// <param name="Values">Parameter values, in the order of the sweep's parameters (double, long or string).</param>
public sealed record SweepRun(int Index, string Id, int Point, int Replication, ulong Seed, IReadOnlyList<object> Values);

/// <summary>A deterministic share of a sweep's runs: run i belongs to shard i mod N.</summary>
/// <param name="Index">This shard, 0-based.</param>
/// <param name="Count">Number of shards.</param>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The whole sweep in one process.</summary>
    public static Shard All { get; } = new(0, 1);

    /// <summary>True when run <paramref name="runIndex"/> is this shard's.</summary>
    public bool Owns(int runIndex) => runIndex % Count == Index;

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";

    /// <summary>
    /// The shard from the command line and the environment: <c>--shard K/N</c> first; else <c>--shards N</c> with K from
    /// <c>JOB_COMPLETION_INDEX</c> (Kubernetes Indexed Job) or <c>SLURM_ARRAY_TASK_ID</c> (Slurm job array); else the
    /// whole sweep. N is never taken from the array's shape: <c>sbatch --array=3</c> must resume shard 3 of the same N,
    /// and a stepped array (<c>0-15:2</c>) must not renumber its tasks, so a Slurm array task without <c>--shards</c> is
    /// refused. When <c>MARKETSIM_JOB_COMPLETIONS</c> is set (the Kubernetes Job's <c>completions</c>, passed as an
    /// environment variable) it must equal N. Returns an error message when invalid.
    /// </summary>
    public static Shard? Resolve(string? shardOption, int? shardsOption, Func<string, string?> env, out string? error)
    {
        ArgumentNullException.ThrowIfNull(env);
        error = null;
        if (shardOption is { } text)
        {
            var parts = text.Split('/');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && k < n)
            {
                if (shardsOption is { } s && s != n) { error = $"--shard {text} and --shards {s} disagree"; return null; }
                return CheckCompletions(new Shard(k, n), env, out error);
            }
            error = $"--shard expects K/N with 0 ≤ K < N (e.g. 0/4), found '{text}'";
            return null;
        }
        if (shardsOption is { } count)
        {
            if (count < 1) { error = $"--shards expects a number ≥ 1, found {count}"; return null; }
            string? index = env("JOB_COMPLETION_INDEX");
            string variable = "JOB_COMPLETION_INDEX";
            if (index is null && env("SLURM_ARRAY_TASK_ID") is { } slurm) { index = slurm; variable = "SLURM_ARRAY_TASK_ID"; }
            else if (index is not null && env("SLURM_ARRAY_TASK_ID") is { } other && other.Trim() != index.Trim())
            {
                // Both schedulers' indices set and different: which shard this is cannot be known, and guessing could
                // leave one shard's runs to nobody.
                error = $"JOB_COMPLETION_INDEX='{index}' and SLURM_ARRAY_TASK_ID='{other}' disagree on this shard's index; unset one, or give --shard K/N";
                return null;
            }
            if (index is null) { error = "--shards N needs JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm job array), or use --shard K/N"; return null; }
            if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k >= count)
            {
                error = variable == "SLURM_ARRAY_TASK_ID"
                    ? $"SLURM_ARRAY_TASK_ID='{index}' is not a shard index below --shards {count}: submit --array indices 0..{count - 1}"
                    : $"JOB_COMPLETION_INDEX='{index}' is not a shard index below --shards {count}";
                return null;
            }
            return CheckCompletions(new Shard(k, count), env, out error);
        }
        if (env("SLURM_ARRAY_TASK_ID") is { } task)
        {
            error = $"this is Slurm array task {task}: give --shards N (the total number of shards; the task id is the shard) " +
                    "so that a resubmitted index resumes its own shard, or --shard K/N";
            return null;
        }
        return All;
    }

    private static Shard? CheckCompletions(Shard shard, Func<string, string?> env, out string? error)
    {
        error = null;
        if (env("MARKETSIM_JOB_COMPLETIONS") is not { } completions) return shard;
        if (int.TryParse(completions, NumberStyles.None, CultureInfo.InvariantCulture, out int c) && c == shard.Count) return shard;
        error = $"MARKETSIM_JOB_COMPLETIONS='{completions}' (the Job's completions) differs from the shard count {shard.Count}: " +
                "every shard must run exactly once, or the dataset is never complete";
        return null;
    }
}

/// <summary>Every run of a sweep, computed from the sweep file alone.</summary>
public sealed class SweepPlan
{
    /// <summary>Builds the plan of a validated sweep.</summary>
    /// <summary>
    /// Bytes a plan of <paramref name="points"/> × <paramref name="replications"/> runs over <paramref name="parameters"/>
    /// parameters takes (each point's boxed values and the design's unit coordinates, each run's record and id), known
    /// before it is built, so that a sweep too large for memory is refused instead of exhausting it.
    /// </summary>
    public static long EstimateBytes(long points, long replications, int parameters) =>
        points * (64 + 48L * parameters) + points * replications * 120;

    /// <summary>Builds the plan: every design point and every run.</summary>
    public SweepPlan(SweepSpec spec, string programVersion)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        ProgramVersion = programVersion;
        var parameters = spec.Parameters;
        int n = spec.Design.Points, dims = parameters.Count;
        var points = new List<object[]>(n);
        switch (spec.Design.Type)
        {
            case DesignType.Grid:
                foreach (var levels in Designs.Grid(parameters.Select(p => p.GridCount).ToArray()))
                    points.Add(parameters.Select((p, d) => p.AtLevel(levels[d])).ToArray());
                break;
            case DesignType.Points:
                foreach (var v in spec.Design.Values!) points.Add(parameters.Select((p, d) => p.AtValue(v[d])).ToArray());
                break;
            default:
                var unit = spec.Design.Type switch
                {
                    DesignType.Random => Designs.Random(n, dims, spec.Design.Seed),
                    DesignType.Lhs => Designs.LatinHypercube(n, dims, spec.Design.Seed),
                    DesignType.Saltelli => Designs.Saltelli(spec.Design.Base, dims, spec.Design.SecondOrder),
                    DesignType.Morris => Designs.Morris(spec.Design.Base, dims, spec.Design.Levels, spec.Design.Seed),
                    _ => Designs.Sobol(n, dims),
                };
                foreach (var u in unit) points.Add(parameters.Select((p, d) => p.AtUnit(u[d])).ToArray());
                break;
        }
        int total = points.Count * spec.Replications;
        int width = Math.Max(6, (total - 1).ToString(CultureInfo.InvariantCulture).Length);
        var runs = new List<SweepRun>(total);
        for (int p = 0; p < points.Count; p++)
            for (int r = 0; r < spec.Replications; r++)
            {
                int index = p * spec.Replications + r;
                runs.Add(new SweepRun(index, index.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'), p, r,
                    ReplicationSeed(spec.MasterSeed, r), points[p]));
            }
        Runs = runs;
        Points = points.Count;
    }

    /// <summary>The sweep.</summary>
    public SweepSpec Spec { get; }

    /// <summary>Program version written into the outputs.</summary>
    public string ProgramVersion { get; }

    /// <summary>Design points.</summary>
    public int Points { get; }

    /// <summary>Every run, by index.</summary>
    public IReadOnlyList<SweepRun> Runs { get; }

    /// <summary>Seed of replication <paramref name="replication"/>: output <c>r</c> of SplitMix64 started at the master seed.</summary>
    public static ulong ReplicationSeed(ulong masterSeed, int replication) => CounterRandom.At(masterSeed, (ulong)replication);

    /// <summary>The scenario overrides of a run: fixed overrides, parameter values, then the seed.</summary>
    public IReadOnlyDictionary<string, string> Overrides(SweepRun run)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Spec.Overrides) o[k] = v;
        for (int d = 0; d < Spec.Parameters.Count; d++) o[Spec.Parameters[d].Path] = SweepParameter.OverrideText(run.Values[d]);
        o["seed"] = run.Seed.ToString(CultureInfo.InvariantCulture);
        return o;
    }

    /// <summary>
    /// The sweep in normal form (sweep.resolved.yaml): the same text in every shard and on every resume, independent of
    /// where files lie; a resumed sweep refuses an output folder whose resolved sweep differs.
    /// </summary>
    public string ResolvedYaml()
    {
        var s = Spec;
        var sb = new StringBuilder();
        sb.Append("# Resolved sweep written by marketsim ").Append(ProgramVersion).Append(": the same in every shard and on every resume.\n");
        sb.Append("name: ").Append(SweepParameter.Quote(s.Name)).Append('\n');
        sb.Append("scenario: ").Append(SweepParameter.Quote(s.ScenarioReference.Replace('\\', '/'))).Append('\n');
        sb.Append("scenario_sha256: ").Append(s.ScenarioSha256).Append("   # base scenario with the overrides, parameters at their lower ends\n");
        sb.Append("program_version: ").Append(SweepParameter.Quote(ProgramVersion)).Append('\n');
        sb.Append("master_seed: ").Append(s.MasterSeed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("replications: ").Append(s.Replications.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("replication_seeds: [")
            .Append(string.Join(", ", Enumerable.Range(0, s.Replications).Select(r => ReplicationSeed(s.MasterSeed, r).ToString(CultureInfo.InvariantCulture))))
            .Append("]\n");
        sb.Append("design: {type: ").Append(s.Design.Type.ToString().ToLowerInvariant()).Append(", points: ")
            .Append(Points.ToString(CultureInfo.InvariantCulture));
        if (s.Design.Type is DesignType.Random or DesignType.Lhs or DesignType.Morris) sb.Append(", seed: ").Append(s.Design.Seed.ToString(CultureInfo.InvariantCulture));
        if (s.Design.Type == DesignType.Saltelli)
            sb.Append(", base: ").Append(s.Design.Base.ToString(CultureInfo.InvariantCulture)).Append(", second_order: ").Append(s.Design.SecondOrder ? "true" : "false");
        if (s.Design.Type == DesignType.Points) sb.Append(", file_sha256: ").Append(s.Design.FileSha256);
        if (s.Design.Type == DesignType.Morris)
            sb.Append(", trajectories: ").Append(s.Design.Base.ToString(CultureInfo.InvariantCulture)).Append(", levels: ").Append(s.Design.Levels.ToString(CultureInfo.InvariantCulture));
        sb.Append("}\nruns: ").Append(Runs.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("overrides:");
        if (s.Overrides.Count == 0) sb.Append(" {}");
        sb.Append('\n');
        foreach (var (k, v) in s.Overrides) sb.Append("  ").Append(k).Append(": ").Append(v).Append('\n');
        sb.Append("parameters:\n");
        foreach (var p in s.Parameters)
        {
            sb.Append("  ").Append(p.Path).Append(": {column: ").Append(p.Column).Append(", type: ").Append(p.Kind.ToString().ToLowerInvariant());
            if (p.IsRange)
            {
                sb.Append(", min: ").Append(SweepParameter.OverrideText(p.Min!.Value)).Append(", max: ").Append(SweepParameter.OverrideText(p.Max!.Value));
                if (p.Levels is { } l) sb.Append(", levels: ").Append(l.ToString(CultureInfo.InvariantCulture));
            }
            else sb.Append(", values: [").Append(string.Join(", ", p.Values!.Select(SweepParameter.Quote))).Append(']');
            sb.Append("}\n");
        }
        sb.Append("outputs: {").Append(string.Join(", ", OutputTables.Selectable.Select(t => $"{t.Key}: {(s.Outputs.Includes(t) ? "true" : "false")}")))
            .Append(", calibration: true}\n");
        if (s.NamedOutputs.Count > 0)
        {
            sb.Append("named_outputs:\n");
            foreach (var o in s.NamedOutputs) sb.Append("  ").Append(o.Name).Append(": ").Append(o.ResolvedText()).Append('\n');
        }
        if (s.HasBaselineArm) sb.Append("effect_of: [").Append(string.Join(", ", s.Baseline)).Append("]   # switched off in each run's baseline arm (same seed)\n");
        if (s.Analysis is { } a)
            sb.Append("analysis: {after_sweep: ").Append(a.AfterSweep ? "true" : "false").Append(", bootstrap: ").Append(a.Bootstrap.ToString(CultureInfo.InvariantCulture))
                .Append(", seed: ").Append(a.Seed.ToString(CultureInfo.InvariantCulture)).Append(", bins: ").Append(a.Bins.ToString(CultureInfo.InvariantCulture)).Append("}\n");
        sb.Append("shard_rule: run i belongs to shard i mod N\n");
        return sb.ToString();
    }
}
