using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MarketSim.Compare;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Studio;

/// <summary>What the studio was started with.</summary>
/// <param name="ScenarioPath">The starting scenario file.</param>
/// <param name="Agents">Agents per run (both arms).</param>
/// <param name="Replications">Replications per what-if.</param>
/// <param name="Threads">Worker threads, 0 = all cores.</param>
internal sealed record StudioSettings(string ScenarioPath, long Agents, int Replications, int Threads = 0);

/// <summary>A problem with what the browser sent, beside the knob it concerns (empty path: the scenario as a whole).</summary>
internal sealed record KnobProblem(string Path, string Message);

/// <summary>The answer to a what-if: the comparison's tables and how it was computed.</summary>
internal sealed record WhatIfAnswer(ComparePlan Plan, CompareRuns Runs, ComparisonTable Table, TotalsTable Totals, bool BaselineCached,
    int StartsReused, double Seconds);

/// <summary>
/// Runs what-ifs against the starting scenario's baseline under common random numbers, with the comparison's own
/// machinery (<see cref="ComparePlan"/>, <see cref="CompareRunner"/>, <see cref="ComparisonTable"/>). The baseline's
/// runs are cached per (baseline, agents, seeds), so a what-if simulates only its own arm; the state at the start date
/// (after the burn-in) is cached per model-at-the-start, so a what-if whose changes act only later skips the burn-in.
/// </summary>
internal sealed class WhatIfEngine
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<ArmRun>> baselines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> starts = new(StringComparer.Ordinal);
    private const int MaxStarts = 64;
    private readonly Lock cold = new();

    private WhatIfEngine(StudioSettings settings, ScenarioLoadResult start, string baselinePath)
    {
        Settings = settings;
        ScenarioPath = Path.GetFullPath(settings.ScenarioPath);
        ScenarioFolder = Path.GetDirectoryName(ScenarioPath)!;
        BaselinePath = baselinePath;
        Start = start.Scenario!;
        Knobs = KnobModel.Of(Start, new ScenarioPlausibleRanges(Start));
        KnobByPath = Knobs.ToDictionary(k => k.Path, StringComparer.Ordinal);
    }

    /// <summary>The settings.</summary>
    public StudioSettings Settings { get; }

    /// <summary>Full path of the starting scenario.</summary>
    public string ScenarioPath { get; }

    /// <summary>The folder saved scenarios go to.</summary>
    public string ScenarioFolder { get; }

    /// <summary>The baseline: the file the starting scenario extends, or the starting scenario itself when it extends none.</summary>
    public string BaselinePath { get; }

    /// <summary>The starting scenario.</summary>
    public Scenario Start { get; }

    /// <summary>The knobs, in page order.</summary>
    public IReadOnlyList<Knob> Knobs { get; }

    /// <summary>Knobs by path.</summary>
    public IReadOnlyDictionary<string, Knob> KnobByPath { get; }

    /// <summary>Baseline run sets simulated so far (tests check the cache).</summary>
    public int BaselinesCached => baselines.Count;

    /// <summary>Loads the starting scenario; null and the problems (command-line words) when it does not load.</summary>
    public static WhatIfEngine? Create(StudioSettings settings, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var load = ScenarioLoader.Load(settings.ScenarioPath, AgentsOverride(settings.Agents));
        if (!load.Ok)
        {
            problems.AddRange(load.Problems.Select(p => p.ToString()));
            return null;
        }
        if (settings.Replications < 1) problems.Add($"--replications must be at least 1 (got {settings.Replications.ToString(CultureInfo.InvariantCulture)})");
        if (problems.Count > 0) return null;
        return new WhatIfEngine(settings, load, load.ExtendsPath ?? Path.GetFullPath(settings.ScenarioPath));
    }

    private static ScenarioOverrides AgentsOverride(long agents)
    {
        var o = new ScenarioOverrides();
        o.Set("population.agents", agents.ToString(CultureInfo.InvariantCulture), $"--agents {agents.ToString(CultureInfo.InvariantCulture)}");
        return o;
    }

    /// <summary>
    /// The browser's changes as <c>--set</c> overrides, only keys the page shows and only values of the knob's kind,
    /// and only those that differ from the starting scenario. Null with the problems when any is refused.
    /// </summary>
    public ScenarioOverrides? Read(IReadOnlyDictionary<string, string> sets, List<KnobProblem> problems)
    {
        var o = new ScenarioOverrides();
        foreach (var (path, value) in sets)
        {
            if (!KnobByPath.TryGetValue(path, out var knob))
            {
                problems.Add(new KnobProblem("", $"unknown knob '{(path.Length <= 80 ? path : path[..80] + "…")}': the studio changes only the keys it shows"));
                continue;
            }
            string? text = knob.Normalise(value ?? "", out string? problem);
            if (text is null)
            {
                problems.Add(new KnobProblem(path, $"error: --set {path}={value}: {problem}"));
                continue;
            }
            string? start = knob.Normalise(knob.Value, out _);
            if (text == start) continue;
            o.Set(path, text, $"--set {path}={text}");
        }
        return problems.Count == 0 ? o : null;
    }

    /// <summary>
    /// Checks the what-if as the command line would (the same loader, the same messages, <c>error: </c> first) and
    /// builds its comparison plan; null with the problems, each beside its knob when it names one.
    /// </summary>
    public ComparePlan? Plan(ScenarioOverrides sets, List<KnobProblem> problems)
    {
        var both = AgentsOverride(Settings.Agents);
        var all = new ScenarioOverrides(both);
        foreach (var (k, v) in sets) all.Set(k, v, sets.Origin(k));
        var load = ScenarioLoader.Load(ScenarioPath, all);
        if (!load.Ok)
        {
            foreach (var p in load.Problems)
                problems.Add(new KnobProblem(KnobByPath.ContainsKey(p.Key) ? p.Key : "", "error: " + p));
            return null;
        }
        var messages = new List<string>();
        var plan = ComparePlan.Create(new CompareRequest(ScenarioPath, BaselinePath, Settings.Replications, both, Settings.Threads, sets), messages);
        problems.AddRange(messages.Select(m => new KnobProblem("", "error: " + m)));
        return plan;
    }

    /// <summary>Key of the baseline's runs: its resolved scenario (seed and agents included) and every replication's seed.</summary>
    private static string BaselineKey(ComparePlan plan) =>
        plan.BaselineLoad.Sha256 + ":" + string.Join(",", plan.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The starting scenario's own what-if, run once so that its baseline is cached before the page asks.</summary>
    public void WarmUp(CancellationToken ct)
    {
        var problems = new List<KnobProblem>();
        if (Plan(new ScenarioOverrides(), problems) is { } plan)
        {
            try { Run(plan, null, ct); }
            catch (OperationCanceledException) { /* stopped before it finished: the first what-if will run it */ }
        }
    }

    /// <summary>
    /// Runs a what-if: only the scenario arm when the baseline's runs are cached, else both (and caches the
    /// baseline's). <paramref name="stepDone"/> counts simulated steps. Cancelled at the next step by <paramref name="ct"/>.
    /// </summary>
    public WhatIfAnswer Run(ComparePlan plan, Action? stepDone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string key = BaselineKey(plan);
        bool cached = baselines.TryGetValue(key, out var baseline);
        if (!cached)
        {
            // One cold run at a time: a second what-if waiting here finds the baseline the first one cached.
            while (!cold.TryEnter(100)) ct.ThrowIfCancellationRequested();
            clock.Restart(); // the answer's time is its own, not the wait for another's
            try
            {
                cached = baselines.TryGetValue(key, out baseline);
                if (!cached) return RunBoth(plan, key, stepDone, clock, ct);
            }
            finally
            {
                cold.Exit();
            }
        }
        return RunWith(plan, baseline!, stepDone, clock, ct);
    }

    private WhatIfAnswer RunBoth(ComparePlan plan, string key, Action? stepDone, System.Diagnostics.Stopwatch clock, CancellationToken ct)
    {
        var runs = CompareRunner.Run(plan, Settings.Threads, null, StartOf, stepDone, ct);
        baselines.TryAdd(key, Enumerable.Range(0, runs.Replications).Select(r => runs.Get(r, Arm.Baseline)).ToArray());
        return Answer(plan, runs, false, 0, clock);
    }

    private WhatIfAnswer RunWith(ComparePlan plan, IReadOnlyList<ArmRun> baseline, Action? stepDone, System.Diagnostics.Stopwatch clock, CancellationToken ct)
    {
        int reused = 0;
        Simulation Begin(MarketModel model, int threads, CancellationToken token)
        {
            var sim = StartOf(model, threads, token, out bool hit);
            if (hit) Interlocked.Increment(ref reused);
            return sim;
        }
        var runs = CompareRunner.Run(plan, Settings.Threads, baseline, Begin, stepDone, ct);
        return Answer(plan, runs, true, reused, clock);
    }

    private static WhatIfAnswer Answer(ComparePlan plan, CompareRuns runs, bool cached, int reused, System.Diagnostics.Stopwatch clock)
    {
        var table = ComparisonTable.Compute(runs);
        var totals = TotalsTable.Compute(runs, table.FirstDifferentStep);
        return new WhatIfAnswer(plan, runs, table, totals, cached, reused, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Steps a what-if simulates: the scenario arm only when the baseline is cached.</summary>
    public long StepsToRun(ComparePlan plan) =>
        (long)plan.Scenario.Calendar.Steps * plan.Replications * (baselines.ContainsKey(BaselineKey(plan)) ? 1 : 2);

    /// <summary>
    /// A simulation at the start date: restored from the cached state after the burn-in when a model with the same
    /// start (<see cref="StartKey"/>) was started before, else started afresh and its state cached. The burn-in reads
    /// the model only through the start date's conditions and the scenario's other sections, so the restored state is
    /// the one the burn-in would reach (tested: a what-if through the cache equals the plain comparison bit for bit).
    /// </summary>
    private Simulation StartOf(MarketModel model, int threads, CancellationToken ct) => StartOf(model, threads, ct, out _);

    private Simulation StartOf(MarketModel model, int threads, CancellationToken ct, out bool hit)
    {
        string key = StartKey(model);
        if (starts.TryGetValue(key, out var state))
        {
            hit = true;
            using var stream = new MemoryStream(state, writable: false);
            return Simulation.Restore(model, stream, threads);
        }
        hit = false;
        var sim = new Simulation(model, threads, ct);
        if (starts.Count >= MaxStarts) starts.Clear();
        using var saved = new MemoryStream();
        sim.SaveState(saved);
        starts.TryAdd(key, saved.ToArray());
        return sim;
    }

    /// <summary>
    /// What the state at the start date depends on: the resolved scenario without its alliances (they act on the
    /// engine only through a step's conditions) and the conditions of step 0 (which hold whatever alliance or
    /// intervention is in force then), hashed.
    /// </summary>
    internal static string StartKey(MarketModel model)
    {
        var scenario = model.Scenario;
        string yaml = WithoutSection(ScenarioYaml.Write(scenario), "alliances");
        var c = new StepConditions(model.T, model.P, model.Scenario.Streamers.Count);
        model.Conditions(0, c);
        var text = new StringBuilder(yaml);
        foreach (var a in PlatformAttribute.All) Append(text, c.Values(a));
        Append(text, c.PlatformSpend);
        Append(text, c.SliceShare);
        Append(text, c.SliceDelivered);
        text.Append(string.Join(",", c.SlicePartner)).Append('|');
        foreach (var link in c.Traffic) text.Append(CultureInfo.InvariantCulture, $"{link.Tier}:{link.From}:{link.To}:{link.Share:R};");
        text.Append(CultureInfo.InvariantCulture, $"|{c.SpendMultiplier:R}|{c.AttentionMultiplier:R}|");
        foreach (var (id, f) in c.FestivalFractions.OrderBy(f => f.Key, StringComparer.Ordinal)) text.Append(CultureInfo.InvariantCulture, $"{id}={f:R};");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void Append(StringBuilder text, double[] values)
    {
        foreach (double v in values) text.Append(BitConverter.DoubleToInt64Bits(v).ToString("x", CultureInfo.InvariantCulture)).Append(',');
        text.Append('|');
    }

    /// <summary>The YAML text without one top-level section (its key line and every indented line after it).</summary>
    internal static string WithoutSection(string yaml, string key)
    {
        var kept = new StringBuilder();
        bool skipping = false;
        foreach (var line in yaml.Split('\n'))
        {
            bool topLevel = line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('#');
            if (topLevel) skipping = line.StartsWith(key + ":", StringComparison.Ordinal);
            if (!skipping) kept.Append(line).Append('\n');
        }
        return kept.ToString();
    }
}
