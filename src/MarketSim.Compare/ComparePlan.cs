using System.Globalization;
using MarketSim.Output;
using MarketSim.Randomness;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Compare;

/// <summary>
/// A checked comparison: both scenario files load, they describe the same tiers, platforms and calendar, and every
/// replication's seed is fixed. Building a plan reads files only; nothing is run or written.
/// </summary>
public sealed class ComparePlan
{
    private readonly IReadOnlyDictionary<string, string> overrides;
    private readonly IReadOnlyDictionary<string, string> baselineCalendar;
    private readonly IReadOnlyList<int>? drawRows;

    private ComparePlan(CompareRequest request, string baselinePath, ScenarioLoadResult scenario, ScenarioLoadResult baseline,
        IReadOnlyList<ulong> seeds, IReadOnlyDictionary<string, string> overrides, IReadOnlyDictionary<string, string> baselineCalendar,
        IReadOnlyList<int>? drawRows)
    {
        this.baselineCalendar = baselineCalendar;
        this.drawRows = drawRows;
        Request = request;
        ScenarioPath = Path.GetFullPath(request.ScenarioPath);
        BaselinePath = baselinePath;
        ScenarioLoad = scenario;
        BaselineLoad = baseline;
        Seeds = seeds;
        this.overrides = overrides;
    }

    /// <summary>The request this plan was built from.</summary>
    public CompareRequest Request { get; }

    /// <summary>Full path of the scenario file.</summary>
    public string ScenarioPath { get; }

    /// <summary>Full path of the baseline file.</summary>
    public string BaselinePath { get; }

    /// <summary>The scenario of replication 0 (its own seed), with its resolved YAML and hash.</summary>
    public ScenarioLoadResult ScenarioLoad { get; }

    /// <summary>The baseline of replication 0 (the scenario's seed and agent count), with its resolved YAML and hash.</summary>
    public ScenarioLoadResult BaselineLoad { get; }

    /// <summary>The scenario of replication 0.</summary>
    public Scenario Scenario => ScenarioLoad.Scenario!;

    /// <summary>The baseline of replication 0.</summary>
    public Scenario Baseline => BaselineLoad.Scenario!;

    /// <summary>
    /// Seed of each run, the same for scenario and baseline: run i of a posterior comparison is replication
    /// i mod R of draw i div R (<see cref="DrawOf"/>), so every draw's replications have seeds of their own and the
    /// draws' Monte-Carlo errors are independent, which the split of the variance into its parts assumes.
    /// </summary>
    public IReadOnlyList<ulong> Seeds { get; }

    /// <summary>Number of runs of each arm: replications × draws (just the replications without a posterior).</summary>
    public int Replications => Seeds.Count;

    /// <summary>Replications of each draw (the request's <c>--replications</c>).</summary>
    public int ReplicationsPerDraw => Request.Replications;

    /// <summary>True when the parameters come from a posterior ensemble (<c>--posterior K</c>), even with K = 1.</summary>
    public bool Posterior => drawRows is not null;

    /// <summary>Parameter sets run: K under a posterior, otherwise 1 (the scenario's own values).</summary>
    public int Draws => drawRows?.Count ?? 1;

    /// <summary>The ensemble's row of each draw (file order), in draw order; empty without a posterior.</summary>
    public IReadOnlyList<int> DrawRows => drawRows ?? [];

    /// <summary>The draw of run <paramref name="run"/>.</summary>
    public int DrawOf(int run) => run / Request.Replications;

    /// <summary>Agents simulated in each run (scenario and baseline alike).</summary>
    public long Agents => Scenario.Population.Agents;

    /// <summary>
    /// Seed of replication <paramref name="r"/>: the scenario's own seed for r = 0, then SplitMix64's mixer of
    /// seed + r, so replications are independent of one another and reproducible from the scenario's seed alone.
    /// </summary>
    public static ulong ReplicationSeed(ulong seed, int r) => r == 0 ? seed : CounterRandom.Mix(unchecked(seed + (ulong)r));

    /// <summary>
    /// Loads and checks both files. Returns null and fills <paramref name="problems"/> (one line each, ready to print
    /// after "error: ") when anything is wrong.
    /// </summary>
    public static ComparePlan? Create(CompareRequest request, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(problems);
        if (request.Replications < 1)
            problems.Add($"--replications must be at least 1 (got {request.Replications.ToString(CultureInfo.InvariantCulture)})");
        if (request.Threads < 0)
            problems.Add($"--threads must be 0 (all cores) or more (got {request.Threads.ToString(CultureInfo.InvariantCulture)})");
        if (request.Ensemble is { } ensemble)
        {
            if (request.Draws is < 1 or > PosteriorEnsemble.MaxDraws)
                problems.Add($"--posterior: expected a number of draws from 1 to {PosteriorEnsemble.MaxDraws.ToString(CultureInfo.InvariantCulture)}, got {request.Draws.ToString(CultureInfo.InvariantCulture)}");
            if (request.Replications < 2)
                problems.Add($"--posterior needs --replications of at least 2 per draw (got {request.Replications.ToString(CultureInfo.InvariantCulture)}): " +
                             "the Monte-Carlo part of each draw's variance is estimated from its replications");
            problems.AddRange(PosteriorDraws.SetBySampled(request.Overrides, ensemble, "a comparison"));
        }
        if (problems.Count > 0) return null;

        // The parameter sets of a posterior comparison: K rows of the ensemble by systematic resampling, seeded by the
        // scenario's seed (so --seed changes the draws with the replications). The first load reads the seed.
        int[]? drawRows = null;
        IReadOnlyDictionary<string, string> both = request.Overrides;
        if (request.Ensemble is { } e)
        {
            var first = ScenarioLoader.Load(request.ScenarioPath, WithScenarioOnly(request.Overrides, request.ScenarioOverrides));
            if (!first.Ok)
            {
                problems.AddRange(first.Problems.Select(p => p.ToString()));
                return null;
            }
            drawRows = e.Draw(request.Draws, first.Scenario!.Seed);
            both = PosteriorDraws.With(request.Overrides, e, drawRows[0]);
        }

        var scenario = ScenarioLoader.Load(request.ScenarioPath, WithScenarioOnly(both, request.ScenarioOverrides));
        if (!scenario.Ok)
        {
            problems.AddRange(scenario.Problems.Select(p => p.ToString()));
            return null;
        }
        string? baselinePath = request.BaselinePath is { } b ? Path.GetFullPath(b) : scenario.ExtendsPath;
        if (baselinePath is null)
        {
            problems.Add($"{request.ScenarioPath}: the scenario extends no other file, so there is no default baseline; name one with --baseline");
            return null;
        }

        // The baseline runs with the scenario's seed, agent count and calendar: common random numbers need the first
        // two, step-by-step differences the third (so a scenario that runs longer needs no second baseline file).
        var baselineCalendar = CalendarOverrides(scenario.Scenario!.Calendar);
        var baselineOverrides = ArmOverrides(both, scenario.Scenario!.Seed, scenario.Scenario.Population.Agents, baselineCalendar);
        var baseline = ScenarioLoader.Load(baselinePath, baselineOverrides);
        if (!baseline.Ok)
        {
            problems.AddRange(baseline.Problems.Select(p => p.ToString()));
            return null;
        }
        // A scenario that adds platforms (a new entrant) is compared with a baseline in which they exist but are dormant:
        // reach 0 and no users at the start, so nobody ever considers them, and the other platforms' results are those of
        // the baseline as written (the random numbers do not depend on a platform nobody picks).
        var entrants = scenario.Scenario.Platforms.Keys.Where(id => !baseline.Scenario!.Platforms.ContainsKey(id)).ToList();
        if (entrants.Count > 0 && baseline.Scenario!.Platforms.Keys.Concat(entrants).SequenceEqual(scenario.Scenario.Platforms.Keys))
        {
            foreach (var id in entrants)
                baselineCalendar[$"platforms.{id}"] = DormantPlatform(scenario.Scenario.Platforms[id], scenario.Scenario.Tiers.Keys);
            baselineOverrides = ArmOverrides(both, scenario.Scenario.Seed, scenario.Scenario.Population.Agents, baselineCalendar);
            baseline = ScenarioLoader.Load(baselinePath, baselineOverrides);
            if (!baseline.Ok)
            {
                problems.AddRange(baseline.Problems.Select(p => p.ToString()));
                return null;
            }
        }
        CheckCompatible(request.ScenarioPath, scenario.Scenario, request.BaselinePath ?? baselinePath, baseline.Scenario!, problems);
        if (request.Ensemble?.NotMadeFor(baselinePath) is { } foreign) problems.Add(foreign);
        if (problems.Count > 0) return null;

        ulong seed = scenario.Scenario.Seed;
        // Computed when asked for, not stored: the replication count is input, and the memory guard comes after the plan.
        var seeds = new ReplicationSeeds(seed, request.Replications * (drawRows?.Length ?? 1));
        return new ComparePlan(request, baselinePath, scenario, baseline, seeds, request.Overrides, baselineCalendar, drawRows);
    }

    /// <summary>Loads replication <paramref name="r"/> of one arm: the same file and overrides with the replication's seed.</summary>
    public Scenario LoadArm(Arm arm, int r) => r == 0 ? (arm == Arm.Scenario ? Scenario : Baseline) : LoadFresh(arm, r);

    /// <summary>A new copy of replication <paramref name="r"/> of one arm, which the caller may change (e.g. switch clauses off).</summary>
    public Scenario LoadFresh(Arm arm, int r)
    {
        var both = Request.Ensemble is { } e ? PosteriorDraws.With(this.overrides, e, DrawRows[DrawOf(r)]) : this.overrides;
        var overrides = ArmOverrides(arm == Arm.Scenario ? WithScenarioOnly(both, Request.ScenarioOverrides) : both, Seeds[r], Agents,
            arm == Arm.Baseline ? baselineCalendar : null);
        var loaded = ScenarioLoader.Load(arm == Arm.Scenario ? ScenarioPath : BaselinePath, overrides);
        if (!loaded.Ok)
            throw new InvalidOperationException($"{arm} of replication {r} no longer loads: {string.Join("; ", loaded.Problems)}");
        return loaded.Scenario!;
    }

    /// <summary>The overrides of both arms followed by those of the scenario arm alone, each keeping its origin.</summary>
    private static IReadOnlyDictionary<string, string> WithScenarioOnly(IReadOnlyDictionary<string, string> both, IReadOnlyDictionary<string, string>? scenarioOnly)
    {
        if (scenarioOnly is not { Count: > 0 }) return both;
        var o = new ScenarioOverrides(both);
        var named = new ScenarioOverrides(scenarioOnly);
        foreach (var (key, value) in named) o.Set(key, value, named.Origin(key));
        return o;
    }

    private static ScenarioOverrides ArmOverrides(IReadOnlyDictionary<string, string> user, ulong seed, long agents,
        IReadOnlyDictionary<string, string>? calendar = null)
    {
        // A copy that keeps the options' names, so a baseline refusing a --set value names that option.
        var o = new ScenarioOverrides(user);
        o.Set("seed", seed.ToString(CultureInfo.InvariantCulture), user is ScenarioOverrides u && user.ContainsKey("seed") ? u.Origin("seed") : "replication seed");
        o.Set("population.agents", agents.ToString(CultureInfo.InvariantCulture),
            user is ScenarioOverrides a && user.ContainsKey("population.agents") ? a.Origin("population.agents") : "the scenario's population.agents");
        // The baseline runs on the scenario's calendar, so a longer horizon needs no second baseline file.
        foreach (var (key, value) in calendar ?? new Dictionary<string, string>()) o.Set(key, value, "the scenario's calendar");
        return o;
    }

    /// <summary>
    /// The scenario's definition of an entrant as a YAML value for the baseline, with reach and initial penetration 0 in
    /// every tier: the platform exists (same ids and order in both arms) but no consumer ever considers it.
    /// </summary>
    internal static string DormantPlatform(PlatformSpec p, IEnumerable<string> tiers)
    {
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        static string Q(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var ids = tiers.ToList();
        string Map(Func<string, double> value) => "{" + string.Join(", ", ids.Select(t => $"{Q(t)}: {N(value(t))}")) + "}";
        return $"{{name: {Q(p.Name)}, color: {Q(p.Color)}, brand: {N(p.Brand)}, price_level: {N(p.PriceLevel)}, basket: {N(p.Basket)}, " +
               $"quality: {N(p.Quality)}, assortment: {N(p.Assortment)}, content: {N(p.Content)}, social: {N(p.Social)}, subsidy: {N(p.Subsidy)}, " +
               $"delivery_days: {Map(t => p.DeliveryDays.TryGetValue(t, out var d) ? d : 3)}, reach: {Map(_ => 0)}, initial_penetration: {Map(_ => 0)}, " +
               $"accounts_per_user: {N(p.AccountsPerUser)}}}";
    }

    /// <summary>Platforms the scenario adds and the baseline runs dormant (reach 0, no users at the start), in order.</summary>
    public IReadOnlyList<string> DormantInBaseline =>
        [.. Scenario.Platforms.Keys.Where(id => baselineCalendar.ContainsKey($"platforms.{id}"))];

    private static Dictionary<string, string> CalendarOverrides(CalendarSpec c) => new()
    {
        ["calendar.start"] = c.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["calendar.step_days"] = c.StepDays.ToString(CultureInfo.InvariantCulture),
        ["calendar.steps"] = c.Steps.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Differences are taken cell by cell and step by step, so both runs need the same cells and steps.</summary>
    private static void CheckCompatible(string scenarioName, Scenario s, string baselineName, Scenario b, List<string> problems)
    {
        string Ids(IEnumerable<string> ids) => string.Join(", ", ids);
        if (!s.Tiers.Keys.SequenceEqual(b.Tiers.Keys))
            problems.Add($"{scenarioName}: tiers [{Ids(s.Tiers.Keys)}] differ from the baseline {baselineName}'s [{Ids(b.Tiers.Keys)}]; " +
                         "a comparison needs the same tier ids in the same order");
        if (!s.Platforms.Keys.SequenceEqual(b.Platforms.Keys))
            problems.Add($"{scenarioName}: platforms [{Ids(s.Platforms.Keys)}] differ from the baseline {baselineName}'s [{Ids(b.Platforms.Keys)}]; " +
                         "a comparison needs the same platform ids in the same order, or the baseline's followed by the platforms the scenario adds " +
                         "(which the baseline then runs dormant)");
        if (s.Calendar.Start != b.Calendar.Start || s.Calendar.StepDays != b.Calendar.StepDays || s.Calendar.Steps != b.Calendar.Steps)
            problems.Add($"{scenarioName}: calendar (start {s.Calendar.Start:yyyy-MM-dd}, {s.Calendar.Steps} steps of {s.Calendar.StepDays} days) " +
                         $"differs from the baseline {baselineName}'s (start {b.Calendar.Start:yyyy-MM-dd}, {b.Calendar.Steps} steps of {b.Calendar.StepDays} days); " +
                         "a comparison needs the same steps");
    }
}

/// <summary>The two arms of a comparison.</summary>
public enum Arm
{
    /// <summary>The what-if scenario.</summary>
    Scenario = 0,
    /// <summary>The baseline it is compared with.</summary>
    Baseline = 1,
}

/// <summary>The seeds of <paramref name="count"/> replications, each computed from the scenario's seed when read.</summary>
internal sealed class ReplicationSeeds(ulong seed, int count) : IReadOnlyList<ulong>
{
    public ulong this[int index] => (uint)index < (uint)count ? ComparePlan.ReplicationSeed(seed, index) : throw new ArgumentOutOfRangeException(nameof(index));

    public int Count => count;

    public IEnumerator<ulong> GetEnumerator()
    {
        for (int r = 0; r < count; r++) yield return ComparePlan.ReplicationSeed(seed, r);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
