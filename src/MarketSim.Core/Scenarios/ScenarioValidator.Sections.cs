using System.Globalization;

namespace MarketSim.Scenarios;

public static partial class ScenarioValidator
{
    /// <summary>The checks of the scenario's sections: name, calendar, tiers, platforms, population, behaviour, streamers, interventions, calibration targets, outputs.</summary>
    private sealed partial class Checker
    {
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
            if (CalendarOk
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
                if (f.Lunar is not null && CalendarOk)
                {
                    int lastYear = DateOnly.FromDayNumber((int)Math.Min(DateOnly.MaxValue.DayNumber, c.Start.DayNumber + (long)c.Steps * c.StepDays - 1)).Year;
                    if (c.Start.Year < LunarCalendar.FirstYear || lastYear > LunarCalendar.LastYear)
                        Add(path + ".lunar", $"lunar dates are known for {LunarCalendar.FirstYear}-{LunarCalendar.LastYear}, " +
                                             $"but the run covers {c.Start.Year}-{lastYear}; list its dates instead");
                }
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
            if (!(people > 0) || !double.IsFinite(people) || !CalendarOk) return;
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
                string mixPath = path + ".first_platform_mix";
                bool finite = true;
                double sum = 0;
                foreach (var (p, share) in t.FirstPlatformMix)
                {
                    Ref(mixPath + "." + p, p, "platform", platforms);
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
                    if (a.Tiered is { } values) PerTier($"{path}.{a.Key}", values(p));
                PerTier(path + ".initial_penetration", p.InitialPenetration);
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
            if (ScenarioLimit.Of<PopulationSpec>(nameof(PopulationSpec.Agents)).Allows(p.Agents)) AgentSlots();
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
            // The chunk size is a power of two, so a locality must be one too (its limits are declared on the property).
            var locality = ScenarioLimit.Of<BehaviourSpec>(nameof(BehaviourSpec.LocalitySize));
            if (!locality.Allows(b.LocalitySize) || (b.LocalitySize & (b.LocalitySize - 1)) != 0)
            {
                Add("behaviour.locality_size", $"expected a power of two in [{locality.Min}, {locality.Max}], got {b.LocalitySize}");
                judged.Add("behaviour.locality_size");
            }
            // At least a year (the declared minimum): a platform bought from within the last year is annual-active by definition.
            if (ScenarioLimit.Of<BehaviourSpec>(nameof(BehaviourSpec.InactivityWeeks)).Allows(b.InactivityWeeks)
                && StepDaysLimit.Allows(s.Calendar.StepDays))
            {
                int steps = (int)Math.Ceiling(b.InactivityWeeks * 7.0 / s.Calendar.StepDays);
                if (steps > MaxRecencySteps)
                    Add("behaviour.inactivity_weeks",
                        $"expected at most {MaxRecencySteps * s.Calendar.StepDays / 7} weeks at step_days {s.Calendar.StepDays} " +
                        $"(purchase recency holds {MaxRecencySteps} steps), got {b.InactivityWeeks} ({steps} steps)");
            }
        }

        private void Streamers()
        {
            foreach (var (id, g) in s.Streamers)
            {
                string path = $"streamers.{id}";
                Id(path, id);
                Ref(path + ".platform", g.Platform, "platform", platforms);
                PerTier(path + ".follower_share", g.FollowerShare);
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
            }
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
            }
        }

        /// <summary>What makes a target one figure: metric, platforms, tiers (as a set) and period.</summary>
        private static string FigureKey(CalibrationTargetSpec c) =>
            string.Join("|", c.Metric, c.Platform, c.With, c.Date.DayNumber, c.PeriodStart?.DayNumber ?? -1,
                string.Join(";", c.Tiers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));

        private void Outputs()
        {
            var a = s.Outputs.AgentSnapshots;
            const string path = "outputs.agent_snapshots";
            var sample = ScenarioLimit.Of<AgentSnapshotSpec>(nameof(AgentSnapshotSpec.Sample));
            if (double.IsFinite(a.Sample) && !sample.Allows(a.Sample))
            {
                Add(path + ".sample", $"expected a fraction of agents in {sample.Interval}, got {a.Sample.ToString(CultureInfo.InvariantCulture)}");
                judged.Add(path + ".sample");
            }
            var c = s.Calendar;
            if (!StepDaysLimit.Allows(c.StepDays) || c.Steps < 1) return;
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
    }
}
