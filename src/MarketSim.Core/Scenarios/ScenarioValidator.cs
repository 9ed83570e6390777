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

    /// <param name="s">The scenario.</param>
    /// <param name="assumptions">Also check the assumptions' plausible ranges (false for the runs that check one bound).</param>
    /// <param name="limited">
    /// The values whose limits to check; null for every value of the scenario. A bound's run names only the values the
    /// assumption covers: its issues elsewhere are not looked at, and walking the whole scenario for each bound doubled a
    /// validation's time.
    /// </param>
    private sealed partial class Checker(Scenario s, bool assumptions = true, IReadOnlyList<ScenarioValue>? limited = null) : IAllianceChecks
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
            // After the sections, which mark the values they have judged already (an unknown tier's, a range with words of its own).
            Limits();
            if (assumptions) Assumptions();
        }

        /// <summary>
        /// Every number that declares limits (<see cref="LimitAttribute"/> on its property, <see cref="PlatformAttribute"/>
        /// for a platform attribute), checked in one place: a number added to the model with its limits is covered.
        /// </summary>
        private void Limits()
        {
            foreach (var v in limited ?? Values)
                if (v.Limit is { } limit && v.IsNumber && !judged.Contains(v.Path)) Check(v.Path, v.Number, limit);
        }

        /// <summary>
        /// Values whose limits need no second word: keyed by an unknown tier or platform (the key is what is wrong), or
        /// refused by a section's own rule that includes the range (a locality's power of two, a snapshot's sample).
        /// </summary>
        private readonly HashSet<string> judged = new(StringComparer.Ordinal);

        /// <summary>Every number and date of the scenario, walked once per validation (the walk is by reflection).</summary>
        private IReadOnlyList<ScenarioValue> Values => values ??= ScenarioValues.Of(s);

        private IReadOnlyList<ScenarioValue>? values;

        private void Check(string path, double v, ScenarioLimit limit)
        {
            // Non-finite values are reported once, by NonFinite.
            if (double.IsFinite(v) && !limit.Allows(v)) Add(path, limit.Refusal(v));
        }

        private static readonly ScenarioLimit StepDaysLimit = ScenarioLimit.Of<CalendarSpec>(nameof(CalendarSpec.StepDays));
        private static readonly ScenarioLimit StepsLimit = ScenarioLimit.Of<CalendarSpec>(nameof(CalendarSpec.Steps));

        /// <summary>Step length and step count within their limits: the checks that compute the calendar's end need both.</summary>
        private bool CalendarOk => StepDaysLimit.Allows(s.Calendar.StepDays) && StepsLimit.Allows(s.Calendar.Steps);

        /// <summary>
        /// Each assumption names values of the scenario, says where they come from (a source, a plausible range or both),
        /// and its plausible range holds the scenario's values and lies inside the validator's limits: each bound is
        /// written into the values it covers and the scenario checked again (without this section), so the limits have
        /// one definition, the rules above.
        /// </summary>
        private void Assumptions()
        {
            if (s.Assumptions.Count == 0) return;
            var values = Values;
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
                    var broken = new Checker(s, assumptions: false, covered);
                    broken.Run();
                    for (int k = 0; k < covered.Count; k++) covered[k].Set(kept[k]);
                    if (broken.Issues.FirstOrDefault(i => covered.Any(v => v.Path == i.Path) && !before.Contains(i.ToString())) is { } issue)
                        Add(path + ".plausible", $"{F(bound)} lies outside the validator's limits ({issue.Path}: {issue.Message})");
                }
            }
        }

        public void Add(string path, string message) => Issues.Add(new ScenarioIssue(path, message));


        private void Period(string path, DateOnly start, DateOnly? end)
        {
            if (end is { } e && e < start)
                Add(path + ".end", $"expected a date on or after start ({start:yyyy-MM-dd}), got {e:yyyy-MM-dd}");
        }

        /// <summary>A value for every tier and none for an unknown one (the values' limits are checked by <see cref="Limits"/>).</summary>
        private void PerTier(string path, OrderedDictionary<string, double> map)
        {
            foreach (var t in tiers)
                if (!map.ContainsKey(t))
                    Add($"{path}.{t}", $"missing value for tier '{t}' (every tier needs one: {string.Join(", ", tiers)})");
            foreach (var k in map.Keys) Ref($"{path}.{k}", k, "tier", tiers);
        }

        private bool Ref(string path, string value, string kind, string[] known)
        {
            if (known.Contains(value)) return true;
            judged.Add(path);
            string list = known.Length == 0 ? "none" : string.Join(", ", known);
            Add(path, $"unknown {kind} '{value}'; known: {list}{KeySuggestions.For(value, known, listWhenFar: false)}");
            return false;
        }

        private void Id(string path, string id)
        {
            if (!IdPattern().IsMatch(id))
                Add(path, $"expected an id of lower-case letters, digits, '_' or '-', got '{id}'");
        }

        /// <summary>A range that depends on other values (a distribution's parameters, a target's unit), not declared on a property.</summary>
        private void Range(string path, double v, double lo, double hi, bool loOpen = false) => Check(path, v, new ScenarioLimit(lo, hi, loOpen, false));

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
