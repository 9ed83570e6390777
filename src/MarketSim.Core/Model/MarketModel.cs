using MarketSim.Model.Alliances;
using MarketSim.Scenarios;

namespace MarketSim.Model;

/// <summary>
/// A validated scenario compiled into arrays: tiers, platforms, cohorts, the arrival schedule, and the rules that
/// turn the calendar, interventions and alliances into each step's conditions. Immutable once built.
/// </summary>
public sealed partial class MarketModel
{
    /// <summary>Compiles a scenario that passed <c>ScenarioValidator</c>.</summary>
    public MarketModel(Scenario scenario)
    {
        Scenario = scenario;
        var tierIds = scenario.Tiers.Keys.ToArray();
        var platformIds = scenario.Platforms.Keys.ToArray();
        T = tierIds.Length;
        P = platformIds.Length;
        Steps = scenario.Calendar.Steps;
        StepDays = scenario.Calendar.StepDays;
        Start = scenario.Calendar.Start;
        AnnualSteps = (int)Math.Round(365.0 / StepDays);
        InactivitySteps = Math.Clamp((int)Math.Ceiling(scenario.Behaviour.InactivityWeeks * 7.0 / StepDays), AnnualSteps, 254);

        double people = scenario.Tiers.Values.Sum(t => t.OnlineShoppersMillions) * 1e6;
        PeoplePerAgent = people / scenario.Population.Agents;
        Dimensions = new ModelDimensions(
            tierIds, scenario.Tiers.Values.Select((t, i) => t.Name.Length > 0 ? t.Name : tierIds[i]).ToArray(),
            platformIds, scenario.Platforms.Values.Select((p, i) => p.Name.Length > 0 ? p.Name : platformIds[i]).ToArray(),
            scenario.Platforms.Values.Select(p => p.Color).ToArray(), PeoplePerAgent, StepDays);

        InitialAgents = new long[T];
        Arrivals = new long[T][];
        Capacity = new long[T];
        IncomeIndex = new double[T];
        FirstPlatformMix = new double[T * P];
        for (int t = 0; t < T; t++)
        {
            var tier = scenario.Tiers[tierIds[t]];
            IncomeIndex[t] = tier.IncomeIndex;
            InitialAgents[t] = (long)Math.Round(tier.OnlineShoppersMillions * 1e6 / PeoplePerAgent);
            // Whole agents arrive when the cumulative expected arrivals cross an integer: no drift, no randomness.
            double perStep = tier.NewShoppersMillionsPerYear * 1e6 / PeoplePerAgent * StepDays / 365.0;
            Arrivals[t] = new long[Steps];
            long total = 0;
            for (int s = 0; s < Steps; s++)
            {
                long cumulative = (long)Math.Floor(perStep * (s + 1));
                Arrivals[t][s] = cumulative - total;
                total = cumulative;
            }
            Capacity[t] = InitialAgents[t] + total;
            for (int p = 0; p < P; p++)
                FirstPlatformMix[t * P + p] = tier.FirstPlatformMix.TryGetValue(platformIds[p], out var m) ? m : 0;
        }

        int tp = T * P;
        baseValues = PlatformAttribute.All.Select(_ => new double[tp]).ToArray();
        InitialPenetration = new double[tp];
        AccountsPerUser = new double[P];
        InitialLevelPinned = new bool[P];
        for (int p = 0; p < P; p++)
        {
            var pl = scenario.Platforms[platformIds[p]];
            AccountsPerUser[p] = pl.AccountsPerUser;
            for (int t = 0; t < T; t++)
            {
                int i = t * P + p;
                foreach (var a in PlatformAttribute.All) baseValues[a.Index][i] = a.ValueOf(pl, tierIds[t]);
                InitialPenetration[i] = pl.InitialPenetration[tierIds[t]];
            }
            InitialLevelPinned[p] = pl.InitialAccountsMillions is not null;
            if (InitialPenetrationScale(scenario, pl) is { } scale)
                for (int t = 0; t < T; t++) InitialPenetration[t * P + p] *= scale;
        }
        interventions = scenario.Interventions.Select(iv => new CompiledIntervention(iv.Key, iv.Value, platformIds, tierIds)).ToArray();
        alliances = scenario.Alliances.Select(a => new CompiledAlliance(scenario, a.Key, a.Value, platformIds, tierIds)).ToArray();
        allianceSnapshot = new AllianceSnapshot(tp);

        var streamers = scenario.Streamers.Values.ToArray();
        streamerSpecs = streamers;
        StreamerPlatform = streamers.Select(g => PlatformIndex(g.Platform)).ToArray();
        var followerShare = streamers.Select(g => tierIds.Select(id => g.FollowerShare[id]).ToArray()).ToArray();
        Cohorts = new Cohorts(scenario, IncomeIndex, followerShare);
        festivalWindows = BuildFestivalWindows();
    }

    /// <summary>The scenario compiled.</summary>
    public Scenario Scenario { get; }

    /// <summary>Names, colours and scale of results.</summary>
    public ModelDimensions Dimensions { get; }

    /// <summary>Number of tiers.</summary>
    public int T { get; }

    /// <summary>Number of platforms.</summary>
    public int P { get; }

    /// <summary>Steps simulated.</summary>
    public int Steps { get; }

    /// <summary>Days per step.</summary>
    public int StepDays { get; }

    /// <summary>First day of step 0.</summary>
    public DateOnly Start { get; }

    /// <summary>Steps in a year: a platform is annual-active while its last order is fewer steps ago than this.</summary>
    public int AnnualSteps { get; }

    /// <summary>Steps without an order after which a non-primary platform leaves the consumer's set.</summary>
    public int InactivitySteps { get; }

    /// <summary>People per agent.</summary>
    public double PeoplePerAgent { get; }

    /// <summary>Agents present at the start, per tier.</summary>
    public long[] InitialAgents { get; }

    private readonly StreamerSpec[] streamerSpecs;

    /// <summary>Per platform: its users at the start are set by a published figure (<see cref="PlatformSpec.InitialAccountsMillions"/>).</summary>
    public bool[] InitialLevelPinned { get; }

    /// <summary>
    /// The factor that turns a platform's tier profile (<see cref="PlatformSpec.InitialPenetration"/>) into penetration
    /// when the scenario gives its published accounts at the start (<see cref="PlatformSpec.InitialAccountsMillions"/>):
    /// users = accounts ÷ accounts per user = Σ over tiers of shoppers × profile × factor. Null without a figure, or when
    /// the profile is empty (the validator reports that).
    /// </summary>
    public static double? InitialPenetrationScale(Scenario scenario, PlatformSpec platform)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(platform);
        if (platform.InitialAccountsMillions is not { } accounts) return null;
        double weighted = 0;
        foreach (var (id, tier) in scenario.Tiers)
            if (platform.InitialPenetration.TryGetValue(id, out var profile)) weighted += tier.OnlineShoppersMillions * profile;
        return weighted > 0 ? accounts / platform.AccountsPerUser / weighted : null;
    }

    /// <summary>Agents arriving at each step, [tier][step].</summary>
    public long[][] Arrivals { get; }

    /// <summary>Agents a tier holds by the end of the run.</summary>
    public long[] Capacity { get; }

    /// <summary>Income index per tier.</summary>
    public double[] IncomeIndex { get; }

    /// <summary>First-platform mix of new shoppers, [tier*P+platform].</summary>
    public double[] FirstPlatformMix { get; }

    /// <summary>Initial annual-active share, [tier*P+platform].</summary>
    public double[] InitialPenetration { get; }

    /// <summary>Reported accounts per simulated user, per platform.</summary>
    public double[] AccountsPerUser { get; }

    /// <summary>Home platform of each streamer community.</summary>
    public int[] StreamerPlatform { get; }

    /// <summary>Trait cohorts.</summary>
    public Cohorts Cohorts { get; }

    // Attributes before interventions and alliances, [attribute index][tier*P+platform].
    private readonly double[][] baseValues;
    private readonly CompiledIntervention[] interventions;
    private readonly CompiledAlliance[] alliances;
    // Refilled by each alliance as it applies: Conditions is called by one thread at a time (the engine's step).
    private readonly AllianceSnapshot allianceSnapshot;

    /// <summary>An attribute's values before interventions and alliances, [tier*P+platform].</summary>
    internal double[] Base(PlatformAttribute attribute) => baseValues[attribute.Index];

    private readonly List<(string Id, FestivalSpec Spec, List<(DateOnly From, DateOnly To)> Windows)> festivalWindows;

    /// <summary>Index of a platform id, or -1.</summary>
    public int PlatformIndex(string id)
    {
        var ids = Dimensions.PlatformIds;
        for (int i = 0; i < ids.Count; i++) if (ids[i] == id) return i;
        return -1;
    }

    /// <summary>First day of a step.</summary>
    public DateOnly StepDate(int step) => Start.AddDays(step * StepDays);

    /// <summary>The step whose period contains <paramref name="date"/>, or -1 when the date is outside the run.</summary>
    public int StepContaining(DateOnly date)
    {
        long days = date.DayNumber - Start.DayNumber;
        return days < 0 || days >= (long)Steps * StepDays ? -1 : (int)(days / StepDays);
    }

    /// <summary>Total agents by the end of the run (the memory the engine allocates scales with this).</summary>
    public long TotalCapacity => Capacity.Sum();

    /// <summary>
    /// Whether a scheduled change is in force at a step: changes act on whole steps, from the first step that starts
    /// on or after <paramref name="start"/> to the last that starts on or before <paramref name="end"/>, so that
    /// every step before the start is untouched (common random numbers rely on it).
    /// </summary>
    public bool InForce(int step, DateOnly start, DateOnly? end, int rampDays, out double ramp)
    {
        var date = StepDate(step);
        ramp = 0;
        if (date < start || (end is { } e && date > e)) return false;
        int days = date.DayNumber - start.DayNumber;
        ramp = rampDays > 0 ? Math.Min(1.0, (days + 1.0) / rampDays) : 1.0;
        return true;
    }

    /// <summary>Fills <paramref name="c"/> with the conditions of a step.</summary>
    public void Conditions(int step, StepConditions c) => Conditions(step, c, without: null, clamp: true);

    /// <summary>
    /// The conditions of a step, leaving out one compiled intervention or alliance clause (<paramref name="without"/>)
    /// and, on request, the attributes' limits: what <see cref="CannotAct"/> compares to find a change that is capped
    /// to nothing.
    /// </summary>
    internal void Conditions(int step, StepConditions c, object? without, bool clamp)
    {
        c.Step = step;
        foreach (var a in PlatformAttribute.All) Array.Copy(baseValues[a.Index], c.Values(a), baseValues[a.Index].Length);
        Array.Fill(c.PlatformSpend, 1.0);
        Array.Fill(c.SlicePartner, -1);
        Array.Clear(c.SliceShare);
        Array.Clear(c.SliceDelivered);
        c.Traffic.Clear();

        FestivalEffects(step, c, without as LaunchClause);

        for (int g = 0; g < streamerSpecs.Length; g++)
            c.StreamerActivity[g] = streamerSpecs[g].Start is not { } from ? 1
                : InForce(step, from, null, streamerSpecs[g].RampDays, out double r) ? r : 0;

        foreach (var iv in interventions)
            if (iv != without && InForce(step, iv.Start, iv.End, iv.RampDays, out double r)) iv.Apply(c, r);

        foreach (var a in alliances)
        {
            if (!InForce(step, a.Start, a.End, 0, out _)) continue;
            allianceSnapshot.Take(c);
            foreach (var clause in a.Clauses)
                if (clause != without && InForce(step, a.Start, a.End, clause.RampDays, out double r)) clause.Apply(c, allianceSnapshot, r);
        }

        if (!clamp) return;
        foreach (var a in PlatformAttribute.All)
        {
            var values = c.Values(a);
            for (int i = 0; i < values.Length; i++) values[i] = a.Clamp(values[i]);
        }
    }

    private List<(string, FestivalSpec, List<(DateOnly, DateOnly)>)> BuildFestivalWindows()
    {
        var list = new List<(string, FestivalSpec, List<(DateOnly, DateOnly)>)>();
        var end = StepDate(Steps);
        foreach (var (id, f) in Scenario.Calendar.Festivals)
        {
            var days = f.Days(Start.Year - 1, end.Year + 1).ToList();
            list.Add((id, f, days.Select(d => (d.AddDays(-f.LeadDays), d)).ToList()));
        }
        return list;
    }

    private void FestivalEffects(int step, StepConditions c, LaunchClause? withoutLaunch)
    {
        var first = StepDate(step);
        double spend = 0, attention = 0;
        // Per platform, the day's spend multiplier of its primary users and streamers: the market-wide one times the
        // platform's own festivals' share of it (a platform's festival raises the others by its spill-over only).
        Span<double> platformSpend = stackalloc double[P];
        platformSpend.Clear();
        Span<double> own = stackalloc double[P];
        c.FestivalFractions.Clear();
        foreach (var (id, _, _) in festivalWindows) c.FestivalFractions[id] = 0;
        for (int d = 0; d < StepDays; d++)
        {
            var day = first.AddDays(d);
            double s = 1, a = 1;
            own.Fill(1);
            foreach (var (id, f, windows) in festivalWindows)
            {
                // A launch switched off in place takes its festivals with it (as ScenarioClauses.SwitchOff does).
                if (withoutLaunch is not null && withoutLaunch.Festivals.Contains(id)) continue;
                foreach (var (from, to) in windows)
                    if (day >= from && day <= to)
                    {
                        if (f.Platform is { } owner)
                        {
                            double others = 1 + f.SpillOver * (f.SpendMultiplier - 1);
                            s *= others;
                            // others > 0 unless the spill-over carries a multiplier of 0 to everyone, when the owner's is 0 too.
                            if (others > 0) own[PlatformIndex(owner)] *= f.SpendMultiplier / others;
                        }
                        else s *= f.SpendMultiplier;
                        a *= f.AttentionMultiplier;
                        c.FestivalFractions[id] += 1.0 / StepDays;
                        break;
                    }
            }
            spend += s;
            attention += a;
            for (int p = 0; p < P; p++) platformSpend[p] += s * own[p];
        }
        c.SpendMultiplier = spend / StepDays;
        c.AttentionMultiplier = attention / StepDays;
        // The tables read SpendMultiplier × PlatformSpend[p]: a platform without a festival of its own keeps exactly 1.
        for (int p = 0; p < P; p++)
            if (platformSpend[p] != spend) c.PlatformSpend[p] *= spend > 0 ? platformSpend[p] / spend : 0;
    }
}
