using MarketSim.Model.Alliances;
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketSim.Scenarios;

/// <summary>
/// Checks a scenario against the ranges and cross-references the engine relies on, so that a run never starts on a
/// scenario it would silently clamp, misread or crash on. Every problem is reported, not just the first, because a
/// person fixing a scenario file wants the whole list at once.
/// </summary>
public static partial class ScenarioValidator
{
    /// <summary>Values of <see cref="DistributionSpec.Distribution"/>.</summary>
    public static IReadOnlyList<string> Distributions { get; } = ["constant", "uniform", "normal", "lognormal", "gamma", "beta"];

    /// <summary>Values of <see cref="InterventionSpec.Attribute"/>.</summary>
    public static IReadOnlyList<string> InterventionAttributes { get; } = [.. PlatformAttribute.All.Select(a => a.Key)];

    /// <summary>Values of <see cref="CalibrationTargetSpec.Metric"/>.</summary>
    public static IReadOnlyList<string> CalibrationMetrics => CalibrationMetric.All;

    /// <summary>Smallest <see cref="CalendarSpec.StepDays"/>: below it a year of steps no longer fits the one-byte purchase recency.</summary>
    public const int MinStepDays = 3;

    /// <summary>Largest <see cref="CalendarSpec.StepDays"/>.</summary>
    public const int MaxStepDays = 31;

    /// <summary>Most steps of purchase recency an agent can hold (one byte, one value reserved).</summary>
    public const int MaxRecencySteps = 254;

    /// <summary>Returns every rule <paramref name="s"/> breaks; an empty list means the engine can run it.</summary>
    public static IReadOnlyList<ScenarioIssue> Validate(Scenario s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var checker = new Checker(s);
        checker.Run();
        return checker.Issues;
    }

    /// <summary>
    /// The values of <paramref name="s"/> that lie outside the plausible range of their assumption. Not a validation
    /// error: a what-if (<c>--set</c>, a sweep, a typed studio value) may go anywhere inside the limits. The shipped
    /// scenarios' own values must lie inside (<c>AssumptionsTests</c>), and the CLI warns when a run's do not.
    /// </summary>
    public static IReadOnlyList<ScenarioIssue> OutsidePlausible(Scenario s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var issues = new List<ScenarioIssue>();
        var values = ScenarioValues.Of(s);
        foreach (var (key, a) in s.Assumptions)
        {
            if (a.Plausible.Count != 2) continue;
            double lo = a.Plausible[0], hi = a.Plausible[1];
            foreach (var v in values.Where(v => v.IsUnder(key) && v.IsNumber))
                if (v.Number < lo || v.Number > hi)
                    issues.Add(new ScenarioIssue(v.Path, $"{F(v.Number)} lies outside its plausible range [{F(lo)}, {F(hi)}] (assumptions.{key})"));
        }
        return issues;
    }

    /// <summary>
    /// What a valid scenario probably did not mean, said as a warning (the run goes ahead): a festival given as a list of
    /// several dates (a recurring one listed by hand, such as the Spring Festival) whose list ends a year or more before
    /// the run does, or starts a year or more after it begins, so that the run silently has no occurrence there.
    /// </summary>
    public static IReadOnlyList<ScenarioIssue> Warnings(Scenario s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var c = s.Calendar;
        var warnings = new List<ScenarioIssue>();
        if (c.Steps < 1 || c.StepDays < 1) return warnings;
        var runEnd = DateOnly.FromDayNumber((int)Math.Min(DateOnly.MaxValue.DayNumber, c.Start.DayNumber + (long)c.Steps * c.StepDays - 1));
        foreach (var (id, f) in c.Festivals)
        {
            // One date is a one-off event; a lunar or annual rule recurs by itself.
            if (f.Dates.Count < 2 || f.Lunar is not null || f.Annual is not null) continue;
            var first = f.Dates.Min();
            var last = f.Dates.Max();
            string name = f.Name.Length > 0 ? $"{f.Name} ({id})" : id;
            string fix = "; list the missing dates or give it as a lunar date (e.g. lunar: \"01-01\" for the Spring Festival, docs/model.md)";
            if (last.Year < 9999 && last.AddYears(1) <= runEnd)
                warnings.Add(new ScenarioIssue($"calendar.festivals.{id}.dates",
                    $"{name}: the dates end {last:yyyy-MM-dd} but the run goes on to {runEnd:yyyy-MM-dd}, so it has no occurrence after {last.Year}{fix}"));
            if (first.Year > 1 && first.AddYears(-1) >= c.Start)
                warnings.Add(new ScenarioIssue($"calendar.festivals.{id}.dates",
                    $"{name}: the dates begin {first:yyyy-MM-dd} but the run starts {c.Start:yyyy-MM-dd}, so it has no occurrence before {first.Year}{fix}"));
        }
        return warnings;
    }

    /// <summary>
    /// The scenario-file key of a property: snake_case of its name (<c>FirstPlatformMix</c> ↔ <c>first_platform_mix</c>).
    /// Shared with the loader so that issue paths and file keys cannot drift apart.
    /// </summary>
    public static string ToKey(string propertyName)
    {
        ArgumentNullException.ThrowIfNull(propertyName);
        var sb = new StringBuilder(propertyName.Length + 4);
        for (int i = 0; i < propertyName.Length; i++)
        {
            char c = propertyName[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(propertyName[i - 1]) || char.IsDigit(propertyName[i - 1])
                    || (char.IsUpper(propertyName[i - 1]) && i + 1 < propertyName.Length && char.IsLower(propertyName[i + 1])));
                if (boundary) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"^[a-z0-9_-]+\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^#[0-9A-Fa-f]{6}\z")]
    private static partial Regex ColorPattern();

    [GeneratedRegex(@"^([0-9]{2})-([0-9]{2})\z")]
    private static partial Regex MonthDayPattern();

    private enum Support { Any, Unit, NonNegative }

    private sealed class Checker(Scenario s, bool assumptions = true) : IAllianceChecks
    {
        public List<ScenarioIssue> Issues { get; } = [];

        private readonly string[] tiers = [.. s.Tiers.Keys];
        private readonly string[] platforms = [.. s.Platforms.Keys];
        private readonly string[] festivals = [.. s.Calendar.Festivals.Keys];

        public void Run()
        {
            // Finiteness is checked once, generically, so that a double added to the model later is covered too;
            // the range checks below skip non-finite values to avoid saying the same thing twice.
            NonFinite(s, "");
            Name();
            Calendar();
            Tiers();
            Platforms();
            Population();
            Behaviour();
            Streamers();
            Interventions();
            Alliances();
            Calibration();
            Outputs();
            if (assumptions) Assumptions();
        }

        /// <summary>
        /// Each assumption names values of the scenario, says where they come from (a source, a plausible range or both),
        /// and its plausible range holds the scenario's values and lies inside the validator's limits: each bound is
        /// written into the values it covers and the scenario checked again (without this section), so the limits have
        /// one definition, the rules above.
        /// </summary>
        private void Assumptions()
        {
            if (s.Assumptions.Count == 0) return;
            var values = ScenarioValues.Of(s);
            foreach (var (key, a) in s.Assumptions)
            {
                string path = $"assumptions.{key}";
                var covered = values.Where(v => v.IsUnder(key)).ToList();
                if (covered.Count == 0)
                {
                    // A key no scenario can have is a mistake; one whose platform, tier, intervention, clause or list item
                    // a derived scenario removed (or emptied) is left alone: it speaks of nothing here.
                    if (ScenarioValues.ExplainPath(key) is { } why) Add(path, $"names no value of a scenario: {why}");
                    continue;
                }
                if (a.Source.Trim().Length == 0 && a.Plausible.Count == 0)
                    Add(path, "expected a source, a plausible range [low, high], or both");
                if (a.Plausible.Count == 0) continue;
                double lo = a.Plausible[0], hi = a.Plausible[^1];
                if (a.Plausible.Count != 2 || !(lo <= hi))
                {
                    Add(path + ".plausible", $"expected [low, high] with low ≤ high, got [{string.Join(", ", a.Plausible.Select(F))}]");
                    continue;
                }
                if (covered.FirstOrDefault(v => !v.IsNumber) is { } date)
                {
                    Add(path + ".plausible", $"a plausible range is for numbers; {date.Path} is a date (give a source only)");
                    continue;
                }
                // Only what a bound breaks counts, not what the scenario breaks already.
                var before = Issues.Select(i => i.ToString()).ToHashSet();
                foreach (double bound in new[] { lo, hi })
                {
                    var kept = covered.Select(v => v.Get()).ToList();
                    foreach (var v in covered) v.SetNumber(bound);
                    var broken = new Checker(s, assumptions: false);
                    broken.Run();
                    for (int k = 0; k < covered.Count; k++) covered[k].Set(kept[k]);
                    if (broken.Issues.FirstOrDefault(i => covered.Any(v => v.Path == i.Path) && !before.Contains(i.ToString())) is { } issue)
                        Add(path + ".plausible", $"{F(bound)} lies outside the validator's limits ({issue.Path}: {issue.Message})");
                }
            }
        }

        private void Outputs()
        {
            var a = s.Outputs.AgentSnapshots;
            const string path = "outputs.agent_snapshots";
            if (double.IsFinite(a.Sample) && (a.Sample <= 0 || a.Sample > 1))
                Add(path + ".sample", $"expected a fraction of agents in (0, 1], got {a.Sample.ToString(CultureInfo.InvariantCulture)}");
            var c = s.Calendar;
            if (c.StepDays < MinStepDays || c.StepDays > MaxStepDays || c.Steps < 1) return;
            // Day numbers, not dates: a horizon reaching past year 9999 is reported by the calendar's own checks.
            long lastDay = c.Start.DayNumber + (long)c.Steps * c.StepDays - 1;
            string range = lastDay <= DateOnly.MaxValue.DayNumber
                ? $"{c.Start:yyyy-MM-dd} to {DateOnly.FromDayNumber((int)lastDay):yyyy-MM-dd}" : $"from {c.Start:yyyy-MM-dd}";
            var seen = new Dictionary<long, DateOnly>();
            for (int k = 0; k < a.Dates.Count; k++)
            {
                var d = a.Dates[k];
                if (d < c.Start || d.DayNumber > lastDay)
                {
                    Add($"{path}.dates[{k}]", $"expected a date inside the run, {range}, got {d:yyyy-MM-dd}");
                    continue;
                }
                long step = (d.DayNumber - c.Start.DayNumber) / c.StepDays;
                if (seen.TryGetValue(step, out var other))
                    Add($"{path}.dates[{k}]", $"{d:yyyy-MM-dd} falls in the same {c.StepDays}-day step as {other:yyyy-MM-dd}: one snapshot per step");
                else seen[step] = d;
            }
        }

        public void Add(string path, string message) => Issues.Add(new ScenarioIssue(path, message));

        private void Name()
        {
            if (s.Name.Length == 0)
                Add("name", "expected a name of lower-case letters, digits, '_' or '-' (it becomes the output folder name), got nothing");
            else if (!IdPattern().IsMatch(s.Name))
                Add("name", $"expected only lower-case letters, digits, '_' or '-' (it becomes the output folder name), got '{s.Name}'");
            else if (s.Name.Length > 64)
                Add("name", $"expected at most 64 characters (it becomes the output folder name), got {s.Name.Length}");
        }

        private void Calendar()
        {
            var c = s.Calendar;
            Int("calendar.step_days", c.StepDays, MinStepDays, MaxStepDays);
            Int("calendar.steps", c.Steps, 1, 5200);
            Int("calendar.burn_in_steps", c.BurnInSteps, 0, 1040);
            if (c.StepDays is >= MinStepDays and <= MaxStepDays && c.Steps is >= 1 and <= 5200
                && c.Start >= ScenarioLimits.MinDate && c.Start <= ScenarioLimits.MaxDate
                && (long)c.Start.DayNumber + (long)c.Steps * c.StepDays > ScenarioLimits.MaxDate.DayNumber)
                Add("calendar.start",
                    $"the calendar would end after {ScenarioLimits.MaxDate:yyyy-MM-dd} ({c.Steps} steps of {c.StepDays} days from {c.Start:yyyy-MM-dd}); " +
                    "expected an earlier start or fewer steps");
            foreach (var (id, f) in c.Festivals)
            {
                string path = $"calendar.festivals.{id}";
                Id(path, id);
                if (f.Annual is { } annual && !IsMonthDay(annual))
                    Add(path + ".annual", $"expected a month and day \"MM-DD\" such as \"11-11\", got '{annual}'");
                if (f.Lunar is { } lunar && !LunarCalendar.IsMonthDay(lunar))
                    Add(path + ".lunar", $"expected a lunar month and day \"MM-DD\" (month 01-12, day 01-30) such as \"01-01\" for the Spring Festival, got '{lunar}'");
                if (f.Lunar is not null && f.Annual is not null)
                    Add(path + ".lunar", "expected either 'annual' (a Gregorian \"MM-DD\") or 'lunar' (a lunar \"MM-DD\"), not both");
                if (f.Annual is null && f.Lunar is null && f.Dates.Count == 0)
                    Add(path, "expected 'annual' (\"MM-DD\"), 'lunar' (a lunar \"MM-DD\") or a non-empty list of 'dates'");
                if (f.Lunar is not null && c.StepDays is >= MinStepDays and <= MaxStepDays && c.Steps is >= 1 and <= 5200)
                {
                    int lastYear = DateOnly.FromDayNumber((int)Math.Min(DateOnly.MaxValue.DayNumber, c.Start.DayNumber + (long)c.Steps * c.StepDays - 1)).Year;
                    if (c.Start.Year < LunarCalendar.FirstYear || lastYear > LunarCalendar.LastYear)
                        Add(path + ".lunar", $"lunar dates are known for {LunarCalendar.FirstYear}-{LunarCalendar.LastYear}, " +
                                             $"but the run covers {c.Start.Year}-{lastYear}; list its dates instead");
                }
                Int(path + ".lead_days", f.LeadDays, 0, 60);
                Range(path + ".spend_multiplier", f.SpendMultiplier, 0, 20);
                Range(path + ".attention_multiplier", f.AttentionMultiplier, 0, 20);
                Range(path + ".spill_over", f.SpillOver, 0, 1);
                if (f.Platform is { } owner) Ref(path + ".platform", owner, "platform", platforms);
                else if (f.SpillOver != 0)
                    Add(path + ".spill_over", "a spill-over needs the festival's own 'platform' (a market-wide festival raises every platform's spend)");
            }
        }

        /// <summary>
        /// Agents plus every arrival over the calendar, computed as the model will (in double, so that absurd arrival
        /// rates cannot wrap): more than <see cref="ScenarioLimits.MaxAgentSlots"/> would overflow the GMV tallies.
        /// </summary>
        private void AgentSlots()
        {
            var c = s.Calendar;
            double people = s.Tiers.Values.Sum(t => t.OnlineShoppersMillions) * 1e6;
            if (!(people > 0) || !double.IsFinite(people) || c.Steps is < 1 or > 5200 || c.StepDays is < MinStepDays or > MaxStepDays) return;
            double agentsPerPerson = s.Population.Agents / people, years = (double)c.Steps * c.StepDays / 365.0;
            double slots = s.Population.Agents, largest = -1;
            string? culprit = null;
            foreach (var (id, t) in s.Tiers)
            {
                double arrivals = t.NewShoppersMillionsPerYear * 1e6 * agentsPerPerson * years;
                if (!double.IsFinite(arrivals) || arrivals < 0) return;
                slots += arrivals;
                if (arrivals > largest) (largest, culprit) = (arrivals, id);
            }
            if (slots > ScenarioLimits.MaxAgentSlots)
                // At a tier when its arrivals alone are too many (an absurd rate), else at the agents.
                Issues.Add(new ScenarioIssue(culprit is not null && largest > ScenarioLimits.MaxAgentSlots ? $"tiers.{culprit}.new_shoppers_millions_per_year" : "population.agents",
                    $"the starting agents and the arrivals over the calendar come to {slots:0.###e0} agent slots; " +
                    $"at most {ScenarioLimits.MaxAgentSlots:N0} (fewer agents, fewer new shoppers or a shorter calendar)")
                {
                    // Every value the count grows with: the one set last (a child's, an option's) is the one to blame.
                    Also = ["population.agents", "calendar.steps", "calendar.step_days",
                            .. s.Tiers.Keys.SelectMany(id => new[] { $"tiers.{id}.new_shoppers_millions_per_year", $"tiers.{id}.online_shoppers_millions" })],
                });
        }

        private static bool IsMonthDay(string text)
        {
            var m = MonthDayPattern().Match(text);
            if (!m.Success) return false;
            int month = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            int day = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            // A leap year, so that "02-29" is a valid annual date (held in leap years only).
            return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, month);
        }

        private void Tiers()
        {
            if (s.Tiers.Count is < 1 or > ScenarioLimits.MaxTiers)
                Add("tiers", $"expected 1 to {ScenarioLimits.MaxTiers} tiers, got {s.Tiers.Count}");
            foreach (var (id, t) in s.Tiers)
            {
                string path = $"tiers.{id}";
                Id(path, id);
                Range(path + ".online_shoppers_millions", t.OnlineShoppersMillions, 0, double.PositiveInfinity, loOpen: true);
                Range(path + ".new_shoppers_millions_per_year", t.NewShoppersMillionsPerYear, 0, double.PositiveInfinity);
                Range(path + ".income_index", t.IncomeIndex, 0, 10, loOpen: true);
                string mixPath = path + ".first_platform_mix";
                bool finite = true;
                double sum = 0;
                foreach (var (p, share) in t.FirstPlatformMix)
                {
                    Ref(mixPath + "." + p, p, "platform", platforms);
                    Range(mixPath + "." + p, share, 0, 1);
                    finite &= double.IsFinite(share);
                    sum += share;
                }
                if (finite && Math.Abs(sum - 1) > 1e-6)
                    Add(mixPath, $"shares sum to {F(Math.Round(sum, 9))}, expected 1");
            }
        }

        private void Platforms()
        {
            if (s.Platforms.Count is < 1 or > ScenarioLimits.MaxPlatforms)
                Add("platforms", $"expected 1 to {ScenarioLimits.MaxPlatforms} platforms, got {s.Platforms.Count}");
            foreach (var (id, p) in s.Platforms)
            {
                string path = $"platforms.{id}";
                Id(path, id);
                if (!ColorPattern().IsMatch(p.Color))
                    Add(path + ".color", $"expected a colour \"#RRGGBB\", got '{p.Color}'");
                foreach (var a in PlatformAttribute.All)
                    if (a.Scalar is { } value) Range($"{path}.{a.Key}", value(p), a.ValidMin, a.ValidMax, loOpen: a.MinOpen);
                Range(path + ".accounts_per_user", p.AccountsPerUser, 1, 5);
                foreach (var a in PlatformAttribute.All)
                    if (a.Tiered is { } values) PerTier($"{path}.{a.Key}", values(p), (k, v) => Range(k, v, a.ValidMin, a.ValidMax, loOpen: a.MinOpen));
                PerTier(path + ".initial_penetration", p.InitialPenetration, (k, v) => Range(k, v, 0, 1));
                InitialAccounts(path, p);
            }
            AdoptionRates();
        }

        /// <summary>A published start figure must be positive and, spread over the tiers by the profile, fit in every tier.</summary>
        private void InitialAccounts(string path, PlatformSpec p)
        {
            if (p.InitialAccountsMillions is not { } accounts) return;
            string key = path + ".initial_accounts_millions";
            if (!double.IsFinite(accounts) || accounts <= 0) { Add(key, $"expected a positive number of millions, got {F(accounts)}"); return; }
            if (!s.Tiers.Values.All(t => double.IsFinite(t.OnlineShoppersMillions)) || !p.InitialPenetration.Values.All(double.IsFinite)) return;
            // A profile whose tiers differ from the scenario's is its own problem (a removed tier still referred to, a
            // missing one); spreading the figure over it would add a second, misleading one.
            if (p.InitialPenetration.Count != s.Tiers.Count || !s.Tiers.Keys.All(p.InitialPenetration.ContainsKey)) return;
            if (Model.MarketModel.InitialPenetrationScale(s, p) is not { } scale)
            {
                Add(key, "the tier profile initial_penetration is 0 in every tier, so the figure cannot be placed");
                return;
            }
            var over = p.InitialPenetration.Where(kv => kv.Value * scale > 1 + 1e-12).Select(kv => kv.Key).ToList();
            if (over.Count > 0)
                Add(key, $"{F(accounts)} million accounts ÷ {F(p.AccountsPerUser)} per user spread by the tier profile gives a penetration above 1 in {string.Join(", ", over)}; lower the profile there or the figure");
        }

        /// <summary>
        /// A consumer adopts at most one platform a step, from one 16-bit draw cut into one interval per platform of its
        /// step's adoption probability (at most (p + q) × weeks each): the intervals must fit in one draw.
        /// </summary>
        private void AdoptionRates()
        {
            double weeks = s.Calendar.StepDays / 7.0, sum = 0;
            string? largest = null;
            double largestRate = 0;
            foreach (var (id, p) in s.Platforms)
            {
                double rate = p.AdoptionExternal + p.AdoptionImitation;
                if (!double.IsFinite(rate)) return;
                sum += rate;
                if (rate > largestRate) (largest, largestRate) = (id, rate);
            }
            // Named at the largest term of the largest platform: the value a user most likely raised too far.
            string term = largest is not null && s.Platforms[largest].AdoptionExternal > s.Platforms[largest].AdoptionImitation
                ? "adoption_external" : "adoption_imitation";
            if (largest is not null && double.IsFinite(weeks) && weeks > 0 && sum * weeks > 1)
                Add($"platforms.{largest}.{term}",
                    $"adoption_external + adoption_imitation summed over the platforms is {F(Math.Round(sum * weeks, 6))} a step, expected at most 1 (a consumer adopts at most one platform a step)");
        }

        private void Population()
        {
            var p = s.Population;
            if (Int("population.agents", p.Agents, 1, ScenarioLimits.MaxAgents)) AgentSlots();
            Int("population.cohorts_per_tier", p.CohortsPerTier, 1, ScenarioLimits.MaxCohortsPerTier);
            var t = p.Traits;
            Distribution("population.traits.price_sensitivity", t.PriceSensitivity, Support.Any);
            Distribution("population.traits.quality_sensitivity", t.QualitySensitivity, Support.Any);
            Distribution("population.traits.content_affinity", t.ContentAffinity, Support.Unit);
            Distribution("population.traits.social_propensity", t.SocialPropensity, Support.Unit);
            Distribution("population.traits.order_value_yuan", t.OrderValueYuan, Support.NonNegative);
            var ov = t.OrderValueYuan;
            double typical = ov.Distribution switch
            {
                "constant" => ov.Value,
                "uniform" => ov.Max,
                "normal" => ov.Mean,
                "lognormal" => Math.Exp(ov.Mu),
                "gamma" => ov.Rate > 0 ? ov.Shape / ov.Rate : 0,
                _ => 0,
            };
            // Draws are truncated at the bound; a distribution centred beyond it would be mostly truncation.
            if (typical > ScenarioLimits.MaxOrderValueYuan)
                Add("population.traits.order_value_yuan",
                    $"expected order values of at most {F(ScenarioLimits.MaxOrderValueYuan)} yuan, got a {ov.Distribution} distribution centred at {F(typical)}");
            Distribution("population.traits.orders_per_week", t.OrdersPerWeek, Support.NonNegative);
        }

        private void Distribution(string path, DistributionSpec d, Support support)
        {
            (string Key, double Value)[] parameters =
            [
                ("value", d.Value), ("min", d.Min), ("max", d.Max), ("mean", d.Mean), ("sd", d.Sd), ("mu", d.Mu),
                ("sigma", d.Sigma), ("shape", d.Shape), ("rate", d.Rate), ("a", d.A), ("b", d.B),
            ];
            string[] used;
            switch (d.Distribution)
            {
                case "constant":
                    used = ["value"];
                    break;
                case "uniform":
                    used = ["min", "max"];
                    if (double.IsFinite(d.Min) && double.IsFinite(d.Max) && !(d.Min < d.Max))
                        Add(path + ".max", $"expected max greater than min ({F(d.Min)}), got {F(d.Max)}");
                    break;
                case "normal":
                    used = ["mean", "sd"];
                    Range(path + ".sd", d.Sd, 0, double.PositiveInfinity, loOpen: true);
                    break;
                case "lognormal":
                    used = ["mu", "sigma"];
                    Range(path + ".sigma", d.Sigma, 0, double.PositiveInfinity, loOpen: true);
                    break;
                case "gamma":
                    used = ["shape", "rate"];
                    Range(path + ".shape", d.Shape, 0, double.PositiveInfinity, loOpen: true);
                    Range(path + ".rate", d.Rate, 0, double.PositiveInfinity, loOpen: true);
                    break;
                case "beta":
                    used = ["a", "b"];
                    Range(path + ".a", d.A, 0, double.PositiveInfinity, loOpen: true);
                    Range(path + ".b", d.B, 0, double.PositiveInfinity, loOpen: true);
                    break;
                default:
                    Add(path + ".distribution",
                        $"expected one of: {string.Join(", ", Distributions)}, got '{d.Distribution}'{KeySuggestions.For(d.Distribution, Distributions, listWhenFar: false)}");
                    return;
            }
            // A stray parameter is almost always a mix-up (mean/sd given to a lognormal, which takes mu/sigma).
            foreach (var (key, value) in parameters)
                if (value != 0 && !used.Contains(key))
                    Add($"{path}.{key}", $"'{key}' is not a parameter of a {d.Distribution} distribution (it takes {string.Join(" and ", used)})");

            switch (support)
            {
                case Support.Unit:
                    bool unit = d.Distribution switch
                    {
                        "beta" => true,
                        "uniform" => d.Min >= 0 && d.Max <= 1,
                        "constant" => d.Value is >= 0 and <= 1,
                        _ => false,
                    };
                    if (!unit)
                        Add(path, $"expected values within [0, 1]: a beta, or a uniform or constant within [0, 1], got {Describe(d)}");
                    break;
                case Support.NonNegative:
                    bool nonNegative = d.Distribution switch
                    {
                        "lognormal" or "gamma" or "beta" => true,
                        "uniform" => d.Min >= 0,
                        "constant" => d.Value >= 0,
                        _ => false,
                    };
                    if (!nonNegative)
                        Add(path, $"expected non-negative values: a lognormal, gamma or beta, or a uniform or constant ≥ 0, got {Describe(d)}");
                    break;
            }
        }

        private static string Describe(DistributionSpec d) => d.Distribution switch
        {
            "uniform" => $"uniform from {F(d.Min)} to {F(d.Max)}",
            "constant" => $"constant {F(d.Value)}",
            _ => d.Distribution,
        };

        private void Behaviour()
        {
            var b = s.Behaviour;
            Range("behaviour.attention", b.Attention, 0, 1);
            Range("behaviour.dissatisfied_attention", b.DissatisfiedAttention, 0, 1);
            Range("behaviour.inertia", b.Inertia, 0, 50);
            Range("behaviour.switching_cost", b.SwitchingCost, 0, 50);
            Range("behaviour.word_of_mouth", b.WordOfMouth, 0, 50);
            Range("behaviour.delivery_weight", b.DeliveryWeight, 0, 50);
            Range("behaviour.assortment_weight", b.AssortmentWeight, 0, 50);
            Range("behaviour.content_weight", b.ContentWeight, 0, 50);
            Range("behaviour.social_weight", b.SocialWeight, 0, 50);
            if (b.LocalitySize < 1 || b.LocalitySize > 16384 || (b.LocalitySize & (b.LocalitySize - 1)) != 0)
                Add("behaviour.locality_size", $"expected a power of two in [1, 16384], got {b.LocalitySize}");
            Range("behaviour.adopt_as_primary", b.AdoptAsPrimary, 0, 1);
            Range("behaviour.arrival_multihoming", b.ArrivalMultihoming, 0, 1);
            Range("behaviour.primary_order_share", b.PrimaryOrderShare, 0, 1);
            Range("behaviour.satisfaction_learning", b.SatisfactionLearning, 0, 1);
            // At least a year: a platform bought from within the last year is annual-active by definition.
            if (Int("behaviour.inactivity_weeks", b.InactivityWeeks, 52, 250)
                && s.Calendar.StepDays is >= MinStepDays and <= MaxStepDays)
            {
                int steps = (int)Math.Ceiling(b.InactivityWeeks * 7.0 / s.Calendar.StepDays);
                if (steps > MaxRecencySteps)
                    Add("behaviour.inactivity_weeks",
                        $"expected at most {MaxRecencySteps * s.Calendar.StepDays / 7} weeks at step_days {s.Calendar.StepDays} " +
                        $"(purchase recency holds {MaxRecencySteps} steps), got {b.InactivityWeeks} ({steps} steps)");
            }
            Range("behaviour.delivery_tolerance_days", b.DeliveryToleranceDays, 0, double.PositiveInfinity, loOpen: true);
            Range("behaviour.initial_sorting", b.InitialSorting, 0, 10);
        }

        private void Streamers()
        {
            foreach (var (id, g) in s.Streamers)
            {
                string path = $"streamers.{id}";
                Id(path, id);
                Ref(path + ".platform", g.Platform, "platform", platforms);
                PerTier(path + ".follower_share", g.FollowerShare, (k, v) => Range(k, v, 0, 1));
                Range(path + ".sessions_per_week", g.SessionsPerWeek, 0, 100);
                Range(path + ".attendance", g.Attendance, 0, 1);
                Range(path + ".conversion", g.Conversion, 0, 1);
                Range(path + ".pull", g.Pull, 0, 50);
                Int(path + ".ramp_days", g.RampDays, 0, int.MaxValue);
            }
            // A consumer follows at most one streamer group, drawn in file order: shares adding up to more than 1 in a
            // tier would leave the last groups with fewer followers than configured, or none.
            foreach (var t in tiers)
            {
                double sum = 0, largest = 0;
                string? culprit = null;
                var groups = new List<string>();
                foreach (var (id, g) in s.Streamers)
                {
                    if (!g.FollowerShare.TryGetValue(t, out double share) || !double.IsFinite(share) || share <= 0) continue;
                    sum += share;
                    groups.Add($"{id} {F(share)}");
                    if (share > largest) (largest, culprit) = (share, id);
                }
                // Reported at the largest share, the likeliest to be the one changed.
                if (sum > 1 + 1e-9)
                    Add($"streamers.{culprit}.follower_share.{t}",
                        $"follower shares in tier '{t}' add up to {F(Math.Round(sum, 9))} ({string.Join(", ", groups)}); " +
                        "expected at most 1 (a consumer follows one streamer group)");
            }
        }

        private void Interventions()
        {
            foreach (var (id, iv) in s.Interventions)
            {
                string path = $"interventions.{id}";
                Id(path, id);
                Ref(path + ".platform", iv.Platform, "platform", platforms);
                if (!InterventionAttributes.Contains(iv.Attribute))
                    Add(path + ".attribute",
                        $"expected one of: {string.Join(", ", InterventionAttributes)}, got '{iv.Attribute}'{KeySuggestions.For(iv.Attribute, InterventionAttributes, listWhenFar: false)}");
                for (int i = 0; i < iv.Tiers.Count; i++)
                    Ref($"{path}.tiers[{i}]", iv.Tiers[i], "tier", tiers);
                Period(path, iv.Start, iv.End);
                Int(path + ".ramp_days", iv.RampDays, 0, int.MaxValue);
                Range(path + ".multiply", iv.Multiply, 0, double.PositiveInfinity);
            }
        }

        private void Alliances()
        {
            var all = s.Alliances.ToArray();
            for (int j = 0; j < all.Length; j++)
            {
                var (id, a) = (all[j].Key, all[j].Value);
                string path = $"alliances.{id}";
                Id(path, id);
                var seen = new HashSet<string>();
                for (int i = 0; i < a.Members.Count; i++)
                {
                    string m = a.Members[i];
                    if (!seen.Add(m)) Add($"{path}.members[{i}]", $"platform '{m}' is listed twice");
                    else Ref($"{path}.members[{i}]", m, "platform", platforms);
                }
                if (seen.Count < 2)
                    Add(path + ".members", $"expected at least 2 different platforms, got {seen.Count}");
                Period(path, a.Start, a.End);

                foreach (var kind in AllianceClauseKind.All) kind.Validate(this, path, a);

                // The later of two clashing alliances gets the issue: the earlier one was fine until this one came.
                for (int i = 0; i < j; i++)
                {
                    var (otherId, other) = (all[i].Key, all[i].Value);
                    if (!(a.Exclusive || other.Exclusive) || !Overlap(a, other)) continue;
                    string exclusive = a.Exclusive ? id : otherId;
                    for (int k = 0; k < a.Members.Count; k++)
                        if (other.Members.Contains(a.Members[k]) && a.Members.IndexOf(a.Members[k]) == k)
                            Add($"{path}.members[{k}]",
                                $"platform '{a.Members[k]}' is also in alliance '{otherId}' over an overlapping period, " +
                                $"but alliance '{exclusive}' is exclusive");
                }
            }
        }

        public void TierIds(string path, List<string> ids)
        {
            for (int k = 0; k < ids.Count; k++) Ref($"{path}[{k}]", ids[k], "tier", tiers);
        }

        public void HostStreamers(string path, List<string> ids, string host)
        {
            if (ids.Count == 0)
            {
                var own = s.Streamers.Where(g => g.Value.Platform == host).Select(g => g.Key).ToList();
                Add(path, $"name the streamer communities of '{host}' that sell the partner's goods (the supplied slice); " +
                          $"communities of '{host}': {(own.Count == 0 ? "none" : string.Join(", ", own))}");
                return;
            }
            string[] known = [.. s.Streamers.Keys];
            for (int k = 0; k < ids.Count; k++)
                if (Ref($"{path}[{k}]", ids[k], "streamer community", known) && s.Streamers[ids[k]].Platform != host)
                    Add($"{path}[{k}]", $"community '{ids[k]}' sells on '{s.Streamers[ids[k]].Platform}', not on the host '{host}'");
        }

        public void CoPromotedFestivals(string p, CoPromotionSpec promo, AllianceSpec a)
        {
            for (int k = 0; k < promo.Festivals.Count; k++)
                if (Ref($"{p}.festivals[{k}]", promo.Festivals[k], "festival", festivals) && promo.EveryOccurrence)
                    FestivalInPeriod($"{p}.festivals[{k}]", promo.Festivals[k], a);
            CoPromotedOccurrences(p, promo, a);
        }

        public void LaunchedFestivals(string p, LaunchSpec launch, AllianceSpec a)
        {
            if (launch.Festivals.Count == 0) Add(p + ".festivals", "a launch names at least one festival of the calendar (the event the alliance creates)");
            if (string.IsNullOrWhiteSpace(launch.Source))
                Add(p + ".source", "a launch says where the claim that the alliance created the event comes from (an announcement, press coverage)");
            for (int k = 0; k < launch.Festivals.Count; k++)
            {
                string path = $"{p}.festivals[{k}]", id = launch.Festivals[k];
                if (!Ref(path, id, "festival", festivals)) continue;
                var f = s.Calendar.Festivals[id];
                if (f.WhatIf != true)
                    Add(path, $"festival '{id}' is launched by the alliance, so it exists only in the what-if: mark it what_if: true in calendar.festivals");
                if (f.Annual is not null || f.Lunar is not null)
                    Add(path, $"festival '{id}' recurs every year; a launch is one event: give the festival its dates");
                else if (f.Dates.Any(d => d.AddDays(-f.LeadDays) < a.Start || (a.End is { } e && d > e)))
                    Add(path, $"festival '{id}' has a day outside the alliance's period (from {a.Start:yyyy-MM-dd}, window included): an alliance cannot launch an event before it exists");
                foreach (var (other, o) in s.Alliances)
                    if (o != a && o.Launch is { } ol && ol.Festivals.Contains(id))
                        Add(path, $"festival '{id}' is launched by alliance '{other}' too; one alliance owns an event");
            }
        }

        private static bool Overlap(AllianceSpec a, AllianceSpec b) =>
            a.Start <= (b.End ?? DateOnly.MaxValue) && b.Start <= (a.End ?? DateOnly.MaxValue);

        /// <summary>
        /// A co-promotion acts only while a festival window overlaps the alliance: one that never does (a festival dated
        /// only before the alliance starts, or none inside its period) is a mistake. The alliance's own period is what
        /// counts, not the run's, so a shortened run does not turn a valid scenario invalid.
        /// </summary>
        private void FestivalInPeriod(string path, string id, AllianceSpec a)
        {
            if (!s.Calendar.Festivals.TryGetValue(id, out var f) || (f.Annual is { } annual && !IsMonthDay(annual))) return;
            if (a.End is { } e && e < a.Start) return; // reported by Period
            var from = a.Start;
            var to = a.End ?? DateOnly.MaxValue;
            int lastYear = Math.Min(to.Year, from.Year + 1) + 1; // an open or long alliance meets an annual festival within a year
            bool any = f.Days(from.Year, Math.Min(lastYear, 9998)).Any(d => d >= from && d.AddDays(-f.LeadDays) <= to);
            if (!any)
                Add(path, $"festival '{id}' has no occurrence between {from:yyyy-MM-dd} and {(a.End is { } end ? end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "the alliance's open end")} " +
                          "(the alliance's period), so the co-promotion would never act; add a date to the festival or remove it from the co-promotion");
        }

        /// <summary>
        /// Which occurrences a co-promotion covers is said, never assumed: omitting years, dates and every_occurrence is an
        /// error (a yearly festival co-promoted by accident would recur for as long as an open-ended alliance runs). Each
        /// year must hold an occurrence of every listed festival, each date must be the day of one, and each must lie in
        /// the alliance's period (festival day on or after its start, window opening by its end). The alliance's period
        /// counts, not the run's, so a shortened run does not turn a valid scenario invalid.
        /// </summary>
        private void CoPromotedOccurrences(string p, CoPromotionSpec promo, AllianceSpec a)
        {
            if (promo.EveryOccurrence)
            {
                if (promo.Years.Count > 0 || promo.Dates.Count > 0)
                    Add(p + ".every_occurrence", "expected either every_occurrence: true or years/dates, not both " +
                        "(in a scenario that extends one with years or dates, set them to ~ to co-promote every occurrence)");
                return;
            }
            if (promo.Years.Count == 0 && promo.Dates.Count == 0)
            {
                Add(p, "expected years: [YYYY, ...] or dates: [YYYY-MM-DD, ...] saying which occurrences of the festivals are " +
                       "co-promoted (or every_occurrence: true for every occurrence while the alliance runs)");
                return;
            }
            if (a.End is { } end && end < a.Start) return; // reported by Period
            var listed = promo.Festivals.Distinct().Where(id => s.Calendar.Festivals.TryGetValue(id, out var f)
                && (f.Annual is not { } annual || IsMonthDay(annual))).ToList();
            string period = $"{a.Start:yyyy-MM-dd} to {(a.End is { } e ? e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "its open end")}";

            // Why one occurrence is outside the alliance's period, or null when it is inside.
            string? Outside(string id, DateOnly day)
            {
                var f = s.Calendar.Festivals[id];
                long from = (long)day.DayNumber - f.LeadDays;
                if (day < a.Start)
                    return $"the {day:yyyy-MM-dd} occurrence of festival '{id}' is before the alliance's start ({period}), so it would not be co-promoted";
                if (a.End is { } last && from > last.DayNumber)
                    return $"the {day:yyyy-MM-dd} occurrence of festival '{id}' (window from {DateOnly.FromDayNumber((int)from):yyyy-MM-dd}) " +
                           $"opens after the alliance's end ({period}), so it would not be co-promoted";
                return null;
            }

            var seenYears = new HashSet<int>();
            for (int k = 0; k < promo.Years.Count; k++)
            {
                int y = promo.Years[k];
                string path = $"{p}.years[{k}]";
                if (!seenYears.Add(y)) { Add(path, $"year {y} is listed twice"); continue; }
                if (y < 1 || y > 9999) { Add(path, $"expected a year from 1 to 9999, got {y}"); continue; }
                foreach (var id in listed)
                {
                    var f = s.Calendar.Festivals[id];
                    var days = f.Days(y, y).Where(d => d.Year == y).Distinct().ToList();
                    if (days.Count == 0)
                    {
                        var known = f.Days(Math.Max(1, a.Start.Year - 1), Math.Min(9999, a.Start.Year + 2)).Distinct().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
                        Add(path, $"festival '{id}' has no occurrence in {y} (its days: {(known.Count > 0 ? string.Join(", ", known) : "none")}); " +
                                  "list single occurrences under dates: instead");
                        continue;
                    }
                    foreach (var day in days)
                        if (Outside(id, day) is { } why) Add(path, why);
                }
            }
            var seenDates = new HashSet<DateOnly>();
            for (int k = 0; k < promo.Dates.Count; k++)
            {
                var day = promo.Dates[k];
                string path = $"{p}.dates[{k}]";
                if (!seenDates.Add(day)) { Add(path, $"date {day:yyyy-MM-dd} is listed twice"); continue; }
                var hosts = listed.Where(id => s.Calendar.Festivals[id].Days(day.Year, day.Year).Contains(day)).ToList();
                if (hosts.Count == 0)
                {
                    var near = listed.SelectMany(id => s.Calendar.Festivals[id].Days(day.Year, day.Year).Where(d => d.Year == day.Year)
                        .Select(d => $"{id} {d:yyyy-MM-dd}")).Distinct().ToList();
                    Add(path, $"{day:yyyy-MM-dd} is not the day of an occurrence of {string.Join(" or ", listed.Select(id => $"'{id}'"))}" +
                              $" (their days in {day.Year}: {(near.Count > 0 ? string.Join(", ", near) : "none")}); a date names a festival day, the last day of its window");
                    continue;
                }
                foreach (var id in hosts)
                    if (Outside(id, day) is { } why) Add(path, why);
            }
            // With dates only, a listed festival none of them names would never be co-promoted.
            if (promo.Years.Count == 0)
                for (int k = 0; k < promo.Festivals.Count; k++)
                {
                    string id = promo.Festivals[k];
                    if (listed.Contains(id) && !promo.Dates.Any(d => s.Calendar.Festivals[id].Days(d.Year, d.Year).Contains(d)))
                        Add($"{p}.festivals[{k}]", $"festival '{id}' is listed but none of the dates names one of its occurrences, so it would never be co-promoted");
                }
        }

        public void Pair(string path, string firstKey, string first, string secondKey, string second, List<string> members)
        {
            bool ok = Member(path + "." + firstKey, first, members);
            ok &= Member(path + "." + secondKey, second, members);
            if (ok && first == second)
                Add(path + "." + secondKey, $"expected a platform other than the {firstKey} '{first}'");
        }

        private bool Member(string path, string platform, List<string> members)
        {
            if (!Ref(path, platform, "platform", platforms)) return false;
            if (members.Contains(platform)) return true;
            Add(path, $"expected a member of the alliance ({string.Join(", ", members)}), got '{platform}'");
            return false;
        }

        private void Calibration()
        {
            string[] targets = [.. platforms, "all"];
            var figures = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < s.Calibration.Count; i++)
            {
                var c = s.Calibration[i];
                string path = $"calibration[{i}]";
                bool known = CalibrationMetrics.Contains(c.Metric);
                if (!known)
                    Add(path + ".metric",
                        $"expected one of: {string.Join(", ", CalibrationMetrics)}, got '{c.Metric}'{KeySuggestions.For(c.Metric, CalibrationMetrics, listWhenFar: false)}");
                if (Ref(path + ".platform", c.Platform, "platform", targets) && known)
                {
                    if (c.Metric == CalibrationMetric.OnlineShoppers && c.Platform != "all")
                        Add(path + ".platform", $"online_shoppers counts all platforms together: expected 'all', got '{c.Platform}'");
                    else if (c.Platform == "all" && c.Metric is not (CalibrationMetric.OnlineShoppers or CalibrationMetric.Gmv))
                        Add(path + ".platform", $"{c.Metric} is a figure of one platform: expected one of {string.Join(", ", platforms)}, got 'all'");
                }
                if (known && c.Metric == CalibrationMetric.Overlap)
                {
                    if (c.With.Length == 0) Add(path + ".with", "overlap needs the second platform: expected a platform id");
                    else if (Ref(path + ".with", c.With, "platform", platforms) && c.With == c.Platform)
                        Add(path + ".with", $"expected a platform other than '{c.Platform}'");
                }
                else if (c.With.Length > 0) Add(path + ".with", $"only an overlap target names a second platform; {c.Metric} does not");
                foreach (var t in c.Tiers) Ref(path + ".tiers", t, "tier", tiers);
                if (c.Tiers.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
                    Add(path + ".tiers", $"tier '{twice.Key}' is listed twice");
                // The same figure twice would count twice in a calibration's objective (and twice in the report).
                if (!figures.TryAdd(FigureKey(c), i) && figures[FigureKey(c)] is var j)
                    {
                        Add(path, $"the same figure as target {j + 1} ({c.Metric} of {c.Platform}{(c.With.Length > 0 ? " with " + c.With : "")}, " +
                                  $"{(c.Tiers.Count == 0 ? "all tiers" : string.Join(";", c.Tiers))}, to {c.Date:yyyy-MM-dd}): give each figure once");
                    }
                if (known && CalibrationMetric.IsTierShare(c.Metric) && (c.Tiers.Count == 0 || c.Tiers.Distinct().Count() == tiers.Length))
                    Add(path + ".tiers", $"{c.Metric} is the share of some tiers: expected a list of tiers that is not all of them");
                if (known && CalibrationMetric.IsFlow(c.Metric))
                {
                    if (c.PeriodStart is not { } from) Add(path + ".period_start", $"{c.Metric} is a sum over a period: expected its first day");
                    else if (from > c.Date) Add(path + ".period_start", $"expected a date on or before the period's end ({c.Date:yyyy-MM-dd}), got {from:yyyy-MM-dd}");
                }
                else if (known && c.PeriodStart is not null)
                    Add(path + ".period_start", $"{c.Metric} is a level at a date: give only the date (period_end), not a period start");
                if (known && c.Unit != CalibrationMetric.UnitOf(c.Metric))
                    Add(path + ".unit", $"{c.Metric} is given in {CalibrationMetric.UnitOf(c.Metric)}: expected unit '{CalibrationMetric.UnitOf(c.Metric)}', got '{c.Unit}'");
                if (known && CalibrationMetric.UnitOf(c.Metric) == "share") Range(path + ".value", c.Value, 0, 1, loOpen: true);
                else Range(path + ".value", c.Value, 0, double.PositiveInfinity, loOpen: true);
                Range(path + ".tolerance", c.Tolerance, 0, 1, loOpen: true);
                Range(path + ".weight", c.Weight, 0, 1e6);
            }
        }

        /// <summary>What makes a target one figure: metric, platforms, tiers (as a set) and period.</summary>
        private static string FigureKey(CalibrationTargetSpec c) =>
            string.Join("|", c.Metric, c.Platform, c.With, c.Date.DayNumber, c.PeriodStart?.DayNumber ?? -1,
                string.Join(";", c.Tiers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));

        private void Period(string path, DateOnly start, DateOnly? end)
        {
            if (end is { } e && e < start)
                Add(path + ".end", $"expected a date on or after start ({start:yyyy-MM-dd}), got {e:yyyy-MM-dd}");
        }

        private void PerTier(string path, OrderedDictionary<string, double> map, Action<string, double> check)
        {
            foreach (var t in tiers)
                if (!map.ContainsKey(t))
                    Add($"{path}.{t}", $"missing value for tier '{t}' (every tier needs one: {string.Join(", ", tiers)})");
            foreach (var (k, v) in map)
                if (Ref($"{path}.{k}", k, "tier", tiers))
                    check($"{path}.{k}", v);
        }

        private bool Ref(string path, string value, string kind, string[] known)
        {
            if (known.Contains(value)) return true;
            string list = known.Length == 0 ? "none" : string.Join(", ", known);
            Add(path, $"unknown {kind} '{value}'; known: {list}{KeySuggestions.For(value, known, listWhenFar: false)}");
            return false;
        }

        private void Id(string path, string id)
        {
            if (!IdPattern().IsMatch(id))
                Add(path, $"expected an id of lower-case letters, digits, '_' or '-', got '{id}'");
        }

        public void Range(string path, double v, double lo, double hi, bool loOpen = false, bool hiOpen = false)
        {
            if (!double.IsFinite(v)) return;
            bool ok = (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
            if (ok) return;
            string expected = double.IsPositiveInfinity(hi)
                ? $"a number {(loOpen ? ">" : "≥")} {F(lo)}"
                : $"a number in {(loOpen ? '(' : '[')}{F(lo)}, {F(hi)}{(hiOpen ? ')' : ']')}";
            Add(path, $"expected {expected}, got {F(v)}");
        }

        public bool Int(string path, long v, long lo, long hi)
        {
            if (v >= lo && v <= hi) return true;
            string expected = hi == int.MaxValue ? $"≥ {lo}" : $"in [{lo}, {hi}]";
            Add(path, $"expected a whole number {expected}, got {v}");
            return false;
        }

        private void NonFinite(object? o, string path)
        {
            switch (o)
            {
                case null or string:
                    return;
                case double d:
                    if (!double.IsFinite(d)) Add(path, $"expected a finite number, got {F(d)}");
                    return;
                case DateOnly date:
                    // Checked generically like finiteness, so that every date of the model (calendar, festivals,
                    // interventions, alliances, calibration, and any added later) is held to the same range.
                    if (date < ScenarioLimits.MinDate || date > ScenarioLimits.MaxDate)
                        Add(path, $"expected a date from {ScenarioLimits.MinDate:yyyy-MM-dd} to {ScenarioLimits.MaxDate:yyyy-MM-dd}, got {date:yyyy-MM-dd}");
                    return;
                case IDictionary dict:
                    foreach (DictionaryEntry e in dict) NonFinite(e.Value, $"{path}.{e.Key}");
                    return;
                case IList list:
                    for (int i = 0; i < list.Count; i++) NonFinite(list[i], $"{path}[{i}]");
                    return;
            }
            var type = o.GetType();
            if (!type.IsClass || type.Namespace != typeof(Scenario).Namespace) return;
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (p.GetIndexParameters().Length == 0)
                    NonFinite(p.GetValue(o), path.Length == 0 ? ToKey(p.Name) : $"{path}.{ToKey(p.Name)}");
        }
    }

    private static string F(double v) =>
        double.IsNaN(v) ? "NaN"
        : double.IsPositiveInfinity(v) ? "infinity"
        : double.IsNegativeInfinity(v) ? "-infinity"
        : v.ToString("R", CultureInfo.InvariantCulture);
}
