using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Sweeps;

/// <summary>A sweep folder that cannot give the named outputs asked for: the message says why, for a person.</summary>
public sealed class StoredOutputsException(string message) : Exception(message);

/// <summary>
/// Named outputs computed after the sweep from the metrics it stored (<c>marketsim analyze SWEEP_DIR --outputs FILE</c>),
/// without running anything again: each run's <c>metrics/run=…/part-0.parquet</c> (and <c>baseline_metrics/</c> for an
/// effect) is read back into per-step counts and summed by the same <see cref="NamedOutputAccumulator"/> a sweep uses,
/// so the values are bit-identical to those of a sweep that declared the outputs from the start. The file may change
/// only the outputs and the analysis: every run's scenario (hash) must be the one stored in its marker.
/// </summary>
public static class StoredOutputs
{
    /// <summary>
    /// Computes <paramref name="plan"/>'s named outputs for every finished run in <paramref name="folder"/> and writes
    /// summary.parquet there. <paramref name="runDone"/> is called after each run. Throws
    /// <see cref="StoredOutputsException"/> when the folder does not hold what the outputs need.
    /// </summary>
    public static async Task<int> WriteSummaryAsync(string folder, SweepPlan plan, Action? runDone = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(plan);
        var spec = plan.Spec;
        if (spec.NamedOutputs.Count == 0)
            throw new StoredOutputsException($"{spec.SweepFilePath}: names no outputs; add them under 'outputs:' (docs/sweeps.md)");
        var states = new List<RunState>(plan.Runs.Count);
        int done = 0;
        foreach (var run in plan.Runs)
        {
            ct.ThrowIfCancellationRequested();
            var stored = SweepRunner.ReadState(folder, run);
            if (stored.Status != "ok")
            {
                states.Add(stored with { Outputs = null });
                continue;
            }
            var loaded = ScenarioLoader.Load(spec.ScenarioPath, plan.Overrides(run));
            if (!loaded.Ok || loaded.Scenario is not { } scenario)
                throw new StoredOutputsException($"{spec.SweepFilePath}: run {run.Id}'s scenario no longer loads: {string.Join("; ", loaded.Problems)}");
            if (loaded.Sha256 != stored.ScenarioSha256)
                throw new StoredOutputsException(
                    $"{spec.SweepFilePath}: run {run.Id} of this file is not the run stored in {folder} (scenario SHA-256 {loaded.Sha256[..12]}… " +
                    $"against {(stored.ScenarioSha256.Length >= 12 ? stored.ScenarioSha256[..12] : stored.ScenarioSha256)}…): only 'outputs' and 'analysis' may " +
                    "differ from the sweep that ran, and --agents and --set must be those it ran with");
            var model = new MarketModel(scenario);
            double[] level = await FromFileAsync(SweepRunner.TablePath(folder, "metrics", run), spec, model, ct).ConfigureAwait(false);
            var outputs = new List<KeyValuePair<string, double>>();
            if (spec.HasBaselineArm)
            {
                // The baseline arm is the same scenario with the effect_of parts off; its metrics sit beside the run's.
                foreach (var part in spec.Baseline) ScenarioClauses.SwitchOff(scenario, part);
                double[] baseline = await FromFileAsync(SweepRunner.TablePath(folder, SweepRunner.BaselineMetricsTable, run), spec,
                    new MarketModel(scenario), ct).ConfigureAwait(false);
                for (int i = 0; i < level.Length; i++)
                {
                    outputs.Add(new(spec.NamedOutputs[i].Name, level[i] - baseline[i]));
                    outputs.Add(new(spec.NamedOutputs[i].Name + "_scenario", level[i]));
                    outputs.Add(new(spec.NamedOutputs[i].Name + "_baseline", baseline[i]));
                }
            }
            else
            {
                for (int i = 0; i < level.Length; i++) outputs.Add(new(spec.NamedOutputs[i].Name, level[i]));
            }
            states.Add(stored with { Outputs = outputs });
            done++;
            runDone?.Invoke();
        }
        if (done == 0) throw new StoredOutputsException($"{folder}: no finished run (no run marker with status ok in {SweepRunner.MarkerFolder}/)");
        await SummaryTable.WriteAsync(Path.Combine(folder, SummaryTable.FileName), plan, states, ct).ConfigureAwait(false);
        return done;
    }

    /// <summary>The named outputs of one stored metrics file, through the sweep's own accumulator.</summary>
    private static async Task<double[]> FromFileAsync(string file, SweepSpec spec, MarketModel model, CancellationToken ct)
    {
        if (!File.Exists(file))
            throw new StoredOutputsException(
                $"{file} is missing: the sweep kept no {(file.Contains(SweepRunner.BaselineMetricsTable, StringComparison.Ordinal) ? "baseline-arm " : "")}metrics " +
                "(outputs: {metrics: false}), so its outputs cannot be computed afterwards; run the sweep again with the outputs named");
        var rows = await RunOutputReader.ReadMetricsFileAsync(file, ct).ConfigureAwait(false);
        var dims = model.Dimensions;
        var tierIndex = dims.TierIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var platformIndex = dims.PlatformIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        double ppa = dims.PeoplePerAgent, fenScale = ppa / 100.0;
        // Stored values are agent counts × people per agent (fen × people per agent / 100): dividing gives the counts back
        // exactly (they are integers far below 2^52), and the accumulator multiplies them again as the sweep did.
        long Count(double v) => (long)Math.Round(v / ppa);
        long Fen(double v) => (long)Math.Round(v / fenScale);
        var accumulator = new NamedOutputAccumulator(spec.NamedOutputs, model);
        foreach (var step in rows.GroupBy(r => r.Step).OrderBy(g => g.Key))
        {
            var m = new StepMetrics(dims.Tiers, dims.Platforms) { Step = step.Key, Date = step.First().Date };
            foreach (var r in step)
            {
                if (!tierIndex.TryGetValue(r.Tier, out int t) || !platformIndex.TryGetValue(r.Platform, out int p))
                    throw new StoredOutputsException($"{file}: tier '{r.Tier}' or platform '{r.Platform}' is not in the run's scenario");
                int c = m.At(t, p);
                m.Consumers[t] = Count(r.Consumers);
                m.AnnualActive[c] = Count(r.AnnualActive);
                m.PeriodActive[c] = Count(r.PeriodActive);
                m.Primary[c] = Count(r.PrimaryUsers);
                m.New[c] = Count(r.NewUsers);
                m.Churned[c] = Count(r.ChurnedUsers);
                m.SwitchedIn[c] = Count(r.SwitchedIn);
                m.SwitchedOut[c] = Count(r.SwitchedOut);
                m.Orders[c] = Count(r.Orders);
                m.GmvFen[c] = Fen(r.GmvYuan);
                m.SuppliedGmvFen[c] = Fen(r.SuppliedGmvYuan);
            }
            accumulator.Observe(m);
        }
        return accumulator.Values;
    }
}
