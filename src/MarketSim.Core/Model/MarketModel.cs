using MarketSim.Engine;
using MarketSim.Scenarios;

namespace MarketSim.Model;

/// <summary>
/// A validated scenario compiled into arrays: tiers, platforms, cohorts, the arrival schedule, and the rules that
/// turn the calendar, interventions and alliances into each step's conditions. Immutable once built.
/// </summary>
public sealed class MarketModel
{
    /// <summary>Attributes an intervention may change.</summary>
    public static readonly IReadOnlyList<string> Attributes =
        ["price_level", "quality", "assortment", "content", "social", "subsidy", "delivery_days", "reach", "brand"];

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
        Brand = new double[tp]; PriceLevel = new double[tp]; Quality = new double[tp]; Assortment = new double[tp];
        Content = new double[tp]; Social = new double[tp]; Subsidy = new double[tp]; DeliveryDays = new double[tp];
        Reach = new double[tp]; InitialPenetration = new double[tp];
        AccountsPerUser = new double[P];
        for (int p = 0; p < P; p++)
        {
            var pl = scenario.Platforms[platformIds[p]];
            AccountsPerUser[p] = pl.AccountsPerUser;
            for (int t = 0; t < T; t++)
            {
                int i = t * P + p;
                Brand[i] = pl.Brand; PriceLevel[i] = pl.PriceLevel; Quality[i] = pl.Quality; Assortment[i] = pl.Assortment;
                Content[i] = pl.Content; Social[i] = pl.Social; Subsidy[i] = pl.Subsidy;
                DeliveryDays[i] = pl.DeliveryDays[tierIds[t]];
                Reach[i] = pl.Reach[tierIds[t]];
                InitialPenetration[i] = pl.InitialPenetration[tierIds[t]];
            }
        }

        var streamers = scenario.Streamers.Values.ToArray();
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

    // Base attributes before interventions and alliances, [tier*P+platform].
    internal double[] Brand { get; }
    internal double[] PriceLevel { get; }
    internal double[] Quality { get; }
    internal double[] Assortment { get; }
    internal double[] Content { get; }
    internal double[] Social { get; }
    internal double[] Subsidy { get; }
    internal double[] DeliveryDays { get; }
    internal double[] Reach { get; }

    private readonly List<(string Id, FestivalSpec Spec, List<(DateOnly From, DateOnly To)> Windows)> festivalWindows;

    /// <summary>Index of a platform id.</summary>
    public int PlatformIndex(string id) => Array.IndexOf(Dimensions.PlatformIds.ToArray(), id);

    /// <summary>Index of a tier id.</summary>
    public int TierIndex(string id) => Array.IndexOf(Dimensions.TierIds.ToArray(), id);

    /// <summary>First day of a step.</summary>
    public DateOnly StepDate(int step) => Start.AddDays(step * StepDays);

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
    public void Conditions(int step, StepConditions c)
    {
        c.Step = step;
        Array.Copy(Brand, c.Brand, Brand.Length);
        Array.Copy(PriceLevel, c.PriceLevel, PriceLevel.Length);
        Array.Copy(Quality, c.Quality, Quality.Length);
        Array.Copy(Assortment, c.Assortment, Assortment.Length);
        Array.Copy(Content, c.Content, Content.Length);
        Array.Copy(Social, c.Social, Social.Length);
        Array.Copy(Subsidy, c.Subsidy, Subsidy.Length);
        Array.Copy(DeliveryDays, c.DeliveryDays, DeliveryDays.Length);
        Array.Copy(Reach, c.Reach, Reach.Length);
        Array.Fill(c.PlatformSpend, 1.0);
        Array.Fill(c.Supplier, -1);
        Array.Clear(c.SupplyShare);
        c.Traffic.Clear();

        FestivalEffects(step, c);

        foreach (var iv in Scenario.Interventions.Values)
        {
            if (!InForce(step, iv.Start, iv.End, iv.RampDays, out double r)) continue;
            var target = c.Attribute(iv.Attribute);
            int p = PlatformIndex(iv.Platform);
            for (int t = 0; t < T; t++)
            {
                if (iv.Tiers.Count > 0 && !iv.Tiers.Contains(Dimensions.TierIds[t])) continue;
                int i = t * P + p;
                target[i] = target[i] * (1 + (iv.Multiply - 1) * r) + iv.Add * r;
            }
        }

        foreach (var (allianceId, a) in Scenario.Alliances)
        {
            if (!InForce(step, a.Start, a.End, 0, out _)) continue;
            ApplyAlliance(step, a, c);
        }

        for (int i = 0; i < c.Quality.Length; i++)
        {
            c.Quality[i] = Math.Clamp(c.Quality[i], 0, 1);
            c.Assortment[i] = Math.Clamp(c.Assortment[i], 0, 1);
            c.Content[i] = Math.Clamp(c.Content[i], 0, 1);
            c.Social[i] = Math.Clamp(c.Social[i], 0, 1);
            c.Reach[i] = Math.Clamp(c.Reach[i], 0, 1);
            c.Subsidy[i] = Math.Clamp(c.Subsidy[i], 0, 0.9);
            c.PriceLevel[i] = Math.Max(0.01, c.PriceLevel[i]);
            c.DeliveryDays[i] = Math.Max(0.1, c.DeliveryDays[i]);
        }
    }

    private void ApplyAlliance(int step, AllianceSpec a, StepConditions c)
    {
        // Attributes are read from a snapshot so that the order of sharing rules within an alliance does not matter.
        var quality = (double[])c.Quality.Clone();
        var price = (double[])c.PriceLevel.Clone();
        var assortment = (double[])c.Assortment.Clone();
        var delivery = (double[])c.DeliveryDays.Clone();
        foreach (var sup in a.Supply)
        {
            if (!InForce(step, a.Start, a.End, sup.RampDays, out double r)) continue;
            int h = PlatformIndex(sup.Host), q = PlatformIndex(sup.Partner);
            double s = sup.Share * r;
            if (s <= c.SupplyShare[h]) continue;
            c.SupplyShare[h] = s;
            c.Supplier[h] = q;
            for (int t = 0; t < T; t++)
            {
                int hi = t * P + h, qi = t * P + q;
                c.Quality[hi] = (1 - s) * quality[hi] + s * quality[qi];
                c.PriceLevel[hi] = (1 - s) * price[hi] + s * price[qi];
                // The partner's range is added to the host's, not averaged with it.
                c.Assortment[hi] = assortment[hi] + s * (1 - assortment[hi]) * assortment[qi];
            }
        }
        foreach (var log in a.Logistics)
        {
            if (!InForce(step, a.Start, a.End, log.RampDays, out double r)) continue;
            int h = PlatformIndex(log.Host), q = PlatformIndex(log.Partner);
            for (int t = 0; t < T; t++)
            {
                if (log.Tiers.Count > 0 && !log.Tiers.Contains(Dimensions.TierIds[t])) continue;
                double s = log.Share * r;
                c.DeliveryDays[t * P + h] = (1 - s) * delivery[t * P + h] + s * delivery[t * P + q];
            }
        }
        foreach (var tr in a.Traffic)
        {
            if (!InForce(step, a.Start, a.End, tr.RampDays, out double r)) continue;
            int from = PlatformIndex(tr.From), to = PlatformIndex(tr.To);
            for (int t = 0; t < T; t++)
                if (tr.Tiers.Count == 0 || tr.Tiers.Contains(Dimensions.TierIds[t]))
                    c.Traffic.Add(new TrafficLink(t, from, to, tr.Share * r));
        }
        if (a.CoPromotion is { } promo)
        {
            double fraction = 0;
            foreach (var f in promo.Festivals) fraction = Math.Max(fraction, c.FestivalFraction(f));
            if (fraction > 0)
                foreach (var m in a.Members)
                {
                    int p = PlatformIndex(m);
                    c.PlatformSpend[p] *= 1 + (promo.SpendMultiplier - 1) * fraction;
                    for (int t = 0; t < T; t++) c.Brand[t * P + p] += promo.UtilityBoost * fraction;
                }
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

    private void FestivalEffects(int step, StepConditions c)
    {
        var first = StepDate(step);
        double spend = 0, attention = 0;
        c.FestivalFractions.Clear();
        foreach (var (id, _, _) in festivalWindows) c.FestivalFractions[id] = 0;
        for (int d = 0; d < StepDays; d++)
        {
            var day = first.AddDays(d);
            double s = 1, a = 1;
            foreach (var (id, f, windows) in festivalWindows)
                foreach (var (from, to) in windows)
                    if (day >= from && day <= to)
                    {
                        s *= f.SpendMultiplier;
                        a *= f.AttentionMultiplier;
                        c.FestivalFractions[id] += 1.0 / StepDays;
                        break;
                    }
            spend += s;
            attention += a;
        }
        c.SpendMultiplier = spend / StepDays;
        c.AttentionMultiplier = attention / StepDays;
    }
}

/// <summary>Traffic sharing in force: users of <paramref name="From"/> in a tier see <paramref name="To"/>.</summary>
/// <param name="Tier">Tier index.</param>
/// <param name="From">Platform giving traffic.</param>
/// <param name="To">Platform receiving it.</param>
/// <param name="Share">Share of users exposed, 0..1.</param>
public readonly record struct TrafficLink(int Tier, int From, int To, double Share);

/// <summary>One step's effective platform attributes, [tier*P+platform], and calendar effects.</summary>
public sealed class StepConditions
{
    /// <summary>Allocates conditions for a model's dimensions.</summary>
    public StepConditions(int tiers, int platforms)
    {
        int tp = tiers * platforms;
        Brand = new double[tp]; PriceLevel = new double[tp]; Quality = new double[tp]; Assortment = new double[tp];
        Content = new double[tp]; Social = new double[tp]; Subsidy = new double[tp]; DeliveryDays = new double[tp];
        Reach = new double[tp];
        PlatformSpend = new double[platforms];
        SupplyShare = new double[platforms];
        Supplier = new int[platforms];
    }

    /// <summary>Step these conditions belong to.</summary>
    public int Step { get; set; }
    /// <summary>Alternative-specific constant, including co-promotion boosts.</summary>
    public double[] Brand { get; }
    /// <summary>Price index (including goods supplied by an alliance partner).</summary>
    public double[] PriceLevel { get; }
    /// <summary>Quality 0..1 (including goods supplied by an alliance partner).</summary>
    public double[] Quality { get; }
    /// <summary>Assortment 0..1.</summary>
    public double[] Assortment { get; }
    /// <summary>Content strength 0..1.</summary>
    public double[] Content { get; }
    /// <summary>Social strength 0..1.</summary>
    public double[] Social { get; }
    /// <summary>Subsidy share of price.</summary>
    public double[] Subsidy { get; }
    /// <summary>Delivery days (including deliveries by an alliance partner).</summary>
    public double[] DeliveryDays { get; }
    /// <summary>Marketing reach 0..1.</summary>
    public double[] Reach { get; }
    /// <summary>Multiplier on purchase probability of consumers whose primary is the platform (co-promotions).</summary>
    public double[] PlatformSpend { get; }
    /// <summary>Share of a host's sales that are an alliance partner's goods.</summary>
    public double[] SupplyShare { get; }
    /// <summary>The partner supplying each host, or -1.</summary>
    public int[] Supplier { get; }
    /// <summary>Traffic sharing in force.</summary>
    public List<TrafficLink> Traffic { get; } = new();
    /// <summary>Festival multiplier on purchase probability and basket, averaged over the step's days.</summary>
    public double SpendMultiplier { get; set; } = 1;
    /// <summary>Festival multiplier on attention, averaged over the step's days.</summary>
    public double AttentionMultiplier { get; set; } = 1;
    /// <summary>Share of the step's days inside each festival's window.</summary>
    public Dictionary<string, double> FestivalFractions { get; } = new();

    private IEnumerable<double[]> Arrays() =>
        [Brand, PriceLevel, Quality, Assortment, Content, Social, Subsidy, DeliveryDays, Reach, PlatformSpend, SupplyShare];

    /// <summary>True when every condition (not the step number) equals <paramref name="other"/>'s, bit for bit.</summary>
    public bool SameAs(StepConditions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Arrays().Zip(other.Arrays()).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second))
               && Supplier.AsSpan().SequenceEqual(other.Supplier)
               && Traffic.SequenceEqual(other.Traffic)
               && SpendMultiplier.Equals(other.SpendMultiplier) && AttentionMultiplier.Equals(other.AttentionMultiplier)
               && FestivalFractions.Count == other.FestivalFractions.Count
               && FestivalFractions.All(f => other.FestivalFractions.TryGetValue(f.Key, out var v) && v.Equals(f.Value));
    }

    /// <summary>Makes this a copy of <paramref name="other"/> (same dimensions).</summary>
    public void CopyFrom(StepConditions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (to, from) in Arrays().Zip(other.Arrays())) from.CopyTo(to, 0);
        other.Supplier.CopyTo(Supplier, 0);
        Traffic.Clear();
        Traffic.AddRange(other.Traffic);
        SpendMultiplier = other.SpendMultiplier;
        AttentionMultiplier = other.AttentionMultiplier;
        FestivalFractions.Clear();
        foreach (var (k, v) in other.FestivalFractions) FestivalFractions[k] = v;
        Step = other.Step;
    }

    /// <summary>Share of the step's days inside a festival's window (0 for unknown ids).</summary>
    public double FestivalFraction(string id) => FestivalFractions.TryGetValue(id, out var f) ? f : 0;

    /// <summary>The array holding an attribute by its scenario name.</summary>
    public double[] Attribute(string name) => name switch
    {
        "price_level" => PriceLevel,
        "quality" => Quality,
        "assortment" => Assortment,
        "content" => Content,
        "social" => Social,
        "subsidy" => Subsidy,
        "delivery_days" => DeliveryDays,
        "reach" => Reach,
        "brand" => Brand,
        _ => throw new ArgumentException($"unknown attribute '{name}'", nameof(name)),
    };
}
