using System.Globalization;
using MarketSim.Scenarios;

namespace MarketSim.Studio;

/// <summary>What a knob holds, which decides how a value typed in the browser is read and written as a <c>--set</c> value.</summary>
internal enum KnobKind
{
    /// <summary>A real number.</summary>
    Number,
    /// <summary>A whole number (days).</summary>
    Integer,
    /// <summary>A date, yyyy-MM-dd.</summary>
    Date,
    /// <summary>A date, or empty for none (the key is removed).</summary>
    OptionalDate,
    /// <summary>A set of the scenario's tier ids.</summary>
    Tiers,
}

/// <summary>
/// Where a slider's span comes from: the scenario's <c>assumptions:</c> section (plausible ranges keyed by the
/// <c>--set</c> path, <see cref="ScenarioPlausibleRanges"/>), or none.
/// </summary>
internal interface IPlausibleRanges
{
    /// <summary>The plausible range of a key and its source, or null when the scenario gives none.</summary>
    (double Low, double High, string Source)? For(string path);
}

/// <summary>
/// The plausible ranges of a scenario's <c>assumptions:</c>: a knob takes the range of the entry for its own path, or
/// else of the nearest entry above it (<c>platforms.jd.reach</c> for <c>platforms.jd.reach.t3</c>); the validator has
/// checked that the range holds the value and lies inside the limits.
/// </summary>
internal sealed class ScenarioPlausibleRanges(Scenario scenario) : IPlausibleRanges
{
    public (double Low, double High, string Source)? For(string path) =>
        PlausibleRanges.For(scenario, path) is { } r
            ? (r.Low, r.High, $"assumptions.{r.Key}" + (r.Entry.Source.Length > 0 ? $" ({r.Entry.Source}{(r.Entry.Recalled ? ", recalled" : "")})" : ""))
            : null;
}

/// <summary>No plausible ranges: every slider is derived from the validator's limits and the value's order of magnitude.</summary>
internal sealed class NoPlausibleRanges : IPlausibleRanges
{
    public (double Low, double High, string Source)? For(string path) => null;
}

/// <summary>
/// One control of the page: a scenario key path (exactly what <c>--set PATH=VALUE</c> takes), its current value as the
/// starting scenario has it, the validator's limits, and the span of its slider with where that span comes from.
/// </summary>
internal sealed record Knob(string Path, string Group, string Label, KnobKind Kind, string Value, double? Min, double? Max,
    double? SliderMin, double? SliderMax, string RangeNote, bool Advanced, IReadOnlyList<string>? Choices = null)
{
    /// <summary>
    /// Reads a value sent by the browser and writes it as the YAML scalar or flow list of a <c>--set</c> value. Only
    /// numbers, dates and the scenario's own tier ids pass: a value can never carry YAML structure, a file name or a path.
    /// Null and a message (the words of the command line's binder) when it is not of the knob's kind.
    /// </summary>
    public string? Normalise(string text, out string? problem)
    {
        problem = null;
        text = text.Trim();
        switch (Kind)
        {
            case KnobKind.Number:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
                    return d.ToString("R", CultureInfo.InvariantCulture);
                problem = $"expected a number, got '{Shorten(text)}'";
                return null;
            case KnobKind.Integer:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                    return n.ToString(CultureInfo.InvariantCulture);
                problem = $"expected a whole number, got '{Shorten(text)}'";
                return null;
            case KnobKind.Date or KnobKind.OptionalDate:
                if (Kind == KnobKind.OptionalDate && text.Length == 0) return "null";
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                problem = $"expected a date yyyy-MM-dd{(Kind == KnobKind.OptionalDate ? " or nothing" : "")}, got '{Shorten(text)}'";
                return null;
            default:
                var ids = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var unknown = ids.Where(id => !(Choices ?? []).Contains(id, StringComparer.Ordinal)).ToList();
                if (unknown.Count > 0)
                {
                    problem = $"unknown tier '{Shorten(unknown[0])}'; expected some of {string.Join(", ", Choices ?? [])}";
                    return null;
                }
                // In the scenario's order, once each: the same set gives the same --set value.
                return "[" + string.Join(", ", (Choices ?? []).Where(ids.Contains)) + "]";
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

/// <summary>
/// The knobs of a scenario: each alliance clause's size, start, end, tiers and ramp; each intervention's size, start,
/// end and ramp; the behaviour parameters a sensitivity analysis ranks highest; every platform attribute per tier
/// (advanced). Limits are the validator's, read from their one declaration (<see cref="ScenarioLimit"/>: the scenario
/// types' <see cref="LimitAttribute"/>s, <see cref="PlatformAttribute"/> for the attributes).
/// </summary>
internal static class KnobModel
{
    /// <summary>
    /// The behaviour rules of re-evaluation that docs/sensitivity.md sweeps (switching cost, inertia, attention). With
    /// growth by adoption their total indices for the alliance's effect are at most 0.02 (the clauses' shares and
    /// Jingxi's size decide it, and those are knobs of their own); word of mouth, 0 in the default since adoption's
    /// imitation term replaced it, is not offered.
    /// </summary>
    public static IReadOnlyList<(string Key, string Label)> ReevaluationRules { get; } =
    [
        ("switching_cost", "switching cost"),
        ("inertia", "inertia"),
        ("attention", "attention (weekly re-evaluation hazard)"),
    ];

    /// <summary>Every knob of <paramref name="s"/>, in page order.</summary>
    public static IReadOnlyList<Knob> Of(Scenario s, IPlausibleRanges ranges)
    {
        ArgumentNullException.ThrowIfNull(s);
        var knobs = new List<Knob>();
        var tiers = s.Tiers.Keys.ToList();
        // The validator's limits, as declared on the scenario's types (ScenarioLimit): a value without any goes anywhere.
        var limits = ScenarioValues.Of(s).Where(v => v.Limit is not null).ToDictionary(v => v.Path, v => v.Limit!, StringComparer.Ordinal);
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        void Num(string path, string group, string label, double value, bool advanced = false, bool integer = false, double? cap = null)
        {
            var limit = limits.GetValueOrDefault(path);
            double max = Math.Min(limit?.Max ?? double.PositiveInfinity, cap ?? double.PositiveInfinity);
            knobs.Add(Numeric(path, group, label, value, limit?.Min ?? double.NegativeInfinity, max, ranges, advanced, integer));
        }
        void Date(string path, string group, string label, DateOnly? value, bool optional) =>
            knobs.Add(new Knob(path, group, label, optional ? KnobKind.OptionalDate : KnobKind.Date, value is { } d ? Day(d) : "",
                null, null, null, null, "any date in the validator's limits", false));
        void Tiers(string path, string group, IReadOnlyList<string> value) =>
            knobs.Add(new Knob(path, group, "tiers (none ticked: every tier)", KnobKind.Tiers, string.Join(",", value), null, null, null, null, "", false, tiers));

        foreach (var (id, a) in s.Alliances)
        {
            string g = $"Alliance {(a.Name.Length > 0 ? a.Name : id)}";
            string p = $"alliances.{id}";
            Date(p + ".start", g, "start", a.Start, false);
            Date(p + ".end", g, "end (empty: none)", a.End, true);
            for (int i = 0; i < a.Supply.Count; i++)
            {
                var c = a.Supply[i];
                string cp = $"{p}.supply[{i}]", cg = $"{g} · supply {c.Partner} → {c.Host}";
                Num(cp + ".share", cg, "share", c.Share);
                Num(cp + ".ramp_days", cg, "ramp (days)", c.RampDays, integer: true);
            }
            for (int i = 0; i < a.Logistics.Count; i++)
            {
                var c = a.Logistics[i];
                string cp = $"{p}.logistics[{i}]", cg = $"{g} · logistics {c.Partner} → {c.Host}";
                Num(cp + ".share", cg, "share", c.Share);
                Tiers(cp + ".tiers", cg, c.Tiers);
                Num(cp + ".ramp_days", cg, "ramp (days)", c.RampDays, integer: true);
            }
            for (int i = 0; i < a.Traffic.Count; i++)
            {
                var c = a.Traffic[i];
                string cp = $"{p}.traffic[{i}]", cg = $"{g} · traffic {c.From} → {c.To}";
                Num(cp + ".share", cg, "share", c.Share);
                Tiers(cp + ".tiers", cg, c.Tiers);
                Num(cp + ".ramp_days", cg, "ramp (days)", c.RampDays, integer: true);
            }
            if (a.CoPromotion is { } promo)
            {
                string cp = p + ".co_promotion", cg = $"{g} · co-promotion";
                Num(cp + ".utility_boost", cg, "utility boost", promo.UtilityBoost);
                Num(cp + ".spend_multiplier", cg, "spend multiplier", promo.SpendMultiplier);
            }
        }
        foreach (var (id, iv) in s.Interventions)
        {
            string g = $"Intervention {id} ({iv.Platform} {iv.Attribute})", p = $"interventions.{id}";
            if (iv.Multiply != 1 || iv.Add == 0) Num(p + ".multiply", g, "multiply", iv.Multiply);
            else Num(p + ".add", g, "add", iv.Add);
            Date(p + ".start", g, "start", iv.Start, false);
            Date(p + ".end", g, "end (empty: none)", iv.End, true);
            Num(p + ".ramp_days", g, "ramp (days)", iv.RampDays, integer: true);
        }
        var b = s.Behaviour;
        foreach (var (key, label) in ReevaluationRules)
        {
            double value = key switch
            {
                "switching_cost" => b.SwitchingCost,
                "inertia" => b.Inertia,
                _ => b.Attention,
            };
            Num("behaviour." + key, "Behaviour (re-evaluation rules)", label, value);
        }
        // The validator's cross-check: adoption rates summed over the platforms at most 1 a step. A rate's knob may go as
        // far as the others leave (rounded down, so the limit itself loads).
        double adoptionTotal = s.Platforms.Values.Sum(pl => pl.AdoptionExternal + pl.AdoptionImitation);
        double perStep = 7.0 / s.Calendar.StepDays;
        foreach (var (pid, pl) in s.Platforms)
        {
            string g = $"Platform {(pl.Name.Length > 0 ? pl.Name : pid)}";
            foreach (var a in PlatformAttribute.All)
            {
                if (a.Scalar is { } scalar)
                {
                    // The adoption rates' knobs stop where the others' sum leaves no room (the validator's cross-check).
                    double? cap = a == PlatformAttribute.AdoptionExternal || a == PlatformAttribute.AdoptionImitation
                        ? Math.Floor((perStep - (adoptionTotal - scalar(pl))) * 1e6) / 1e6 : null;
                    Num($"platforms.{pid}.{a.Key}", g, $"{a.Key} ({a.Unit})", scalar(pl), advanced: true, cap: cap);
                }
                else if (a.Tiered is { } tiered)
                    foreach (var (tier, v) in tiered(pl))
                        Num($"platforms.{pid}.{a.Key}.{tier}", g, $"{a.Key} {tier} ({a.Unit})", v, advanced: true);
            }
        }
        return knobs;
    }

    /// <summary>
    /// A number knob: typed values may go to the validator's limits; the slider spans the plausible range when the
    /// scenario states one, else the limits when they are finite and the value is not tiny against them, else the
    /// value's order of magnitude (0 to the next power of ten above it, or ± that power for a negative value).
    /// </summary>
    internal static Knob Numeric(string path, string group, string label, double value, double min, double max,
        IPlausibleRanges ranges, bool advanced = false, bool integer = false)
    {
        double? lo = double.IsFinite(min) ? min : null, hi = double.IsFinite(max) && max < int.MaxValue ? max : null;
        double sMin, sMax;
        string note;
        if (ranges.For(path) is { } plausible)
        {
            (sMin, sMax) = (plausible.Low, plausible.High);
            note = $"slider: plausible range from {plausible.Source}";
        }
        else if (lo is { } l && hi is { } h && (value == 0 || Math.Abs(value) >= (h - l) / 20))
        {
            (sMin, sMax) = (l, h);
            note = "slider: the validator's limits (no plausible range stated yet)";
        }
        else
        {
            double a = Math.Abs(value);
            double power = a == 0 ? 1 : Math.Pow(10, Math.Floor(Math.Log10(a)) + 1);
            if (power < 2 * a) power *= 2;
            sMin = value < 0 ? -power : 0;
            sMax = value < 0 ? power : power;
            if (lo is { } l2) sMin = Math.Max(sMin, l2);
            if (hi is { } h2) sMax = Math.Min(sMax, h2);
            note = "slider: the value's order of magnitude (no plausible range stated yet)";
        }
        string limits = $"typed values: {(lo is { } x ? Fmt(x) : "−∞")} to {(hi is { } y ? Fmt(y) : "∞")} (the validator's limits)";
        return new Knob(path, group, label, integer ? KnobKind.Integer : KnobKind.Number,
            value.ToString(integer ? "0" : "R", CultureInfo.InvariantCulture), lo, hi, sMin, sMax, note + "; " + limits, advanced);
    }

    private static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
