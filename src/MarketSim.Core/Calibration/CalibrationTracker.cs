using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Calibration;

/// <summary>
/// Sets published figures against the simulation as steps go by, each by its metric's one definition
/// (docs/calibration.md): a level dated D is read at the step whose days contain D; a flow over a period sums the
/// steps that overlap it, each weighted by the share of its days inside the period. A flow whose period the run covers
/// for less than <see cref="MinCoverage"/> of its days, and any figure dated outside the run, is not compared; a flow
/// covered for at least that share has its sums scaled up by period days ÷ covered days.
/// Used by a run's calibration.parquet and by <c>marketsim calibrate</c>, so both judge the model the same way.
/// </summary>
public sealed class CalibrationTracker
{
    /// <summary>Least share of a flow's period the run must cover for the figure to be compared.</summary>
    public const double MinCoverage = 0.9;

    private readonly ModelDimensions dims;
    private readonly IReadOnlyList<double> accountsPerUser;
    private readonly IReadOnlyList<CalibrationTargetSpec> targets;
    private readonly Target[] state;
    private readonly List<CalibrationRow> rows = new();

    /// <summary>Creates a tracker for a model's own calibration targets.</summary>
    public CalibrationTracker(MarketModel model) : this(model, model?.Scenario.Calibration!) { }

    /// <summary>Creates a tracker for the given targets (validated against the model's scenario).</summary>
    public CalibrationTracker(MarketModel model, IReadOnlyList<CalibrationTargetSpec> targets)
        : this(model?.Dimensions!, model?.AccountsPerUser!, targets) { }

    /// <summary>Creates a tracker from the model's dimensions and accounts per user, for metrics built outside a model.</summary>
    public CalibrationTracker(ModelDimensions dimensions, IReadOnlyList<double> accountsPerUser, IReadOnlyList<CalibrationTargetSpec> targets)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(accountsPerUser);
        ArgumentNullException.ThrowIfNull(targets);
        dims = dimensions;
        this.accountsPerUser = accountsPerUser;
        this.targets = targets;
        state = new Target[targets.Count];
        for (int i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            var mask = new bool[dims.Tiers];
            for (int k = 0; k < dims.Tiers; k++) mask[k] = t.Tiers.Count == 0 || t.Tiers.Contains(dims.TierIds[k]);
            int p = t.Platform == "all" ? -1 : IndexOf(dims.PlatformIds, t.Platform);
            int q = t.With.Length == 0 ? -1 : IndexOf(dims.PlatformIds, t.With);
            state[i] = new Target(mask, p, q);
        }
    }

    /// <summary>Comparisons made so far, in the order their dates are reached (scenario order within a step).</summary>
    public IReadOnlyList<CalibrationRow> Rows => rows;

    /// <summary>True when a run of <paramref name="model"/> compares <paramref name="target"/> (its dates lie within the run).</summary>
    public static bool Covers(MarketModel model, CalibrationTargetSpec target)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        if (model.StepContaining(target.Date) < 0) return false;
        if (target.PeriodStart is not { } from) return true;
        int days = target.Date.DayNumber - from.DayNumber + 1;
        int covered = target.Date.DayNumber + 1 - Math.Max(from.DayNumber, model.Start.DayNumber);
        return covered >= MinCoverage * days;
    }

    /// <summary>Adds one step to every target's sums and compares the targets whose date falls in it.</summary>
    public void Observe(StepMetrics step)
    {
        ArgumentNullException.ThrowIfNull(step);
        int first = step.Date.DayNumber, end = first + dims.StepDays;
        for (int i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            var s = state[i];
            if (s.Done) continue;
            int last = t.Date.DayNumber;
            if (t.PeriodStart is { } from && CalibrationMetric.IsFlow(t.Metric))
            {
                int inside = Math.Min(end, last + 1) - Math.Max(first, from.DayNumber);
                if (inside > 0) Accumulate(t, s, step, (double)inside / dims.StepDays, inside);
            }
            if (last < first || last >= end) continue;
            s.Done = true;
            if (Simulate(t, s, step) is { } value)
                rows.Add(new CalibrationRow(i, t.PeriodStart, t.Date, t.Platform, t.With, CalibrationRow.TierText(t.Tiers), t.Metric,
                    t.Unit, t.Value, value, t.Tolerance, t.Weight, t.InSample, t.Source));
        }
    }

    private static void Accumulate(CalibrationTargetSpec t, Target s, StepMetrics m, double weight, int days)
    {
        s.CoveredDays += days;
        long[] source = (t.Metric == CalibrationMetric.NewCustomersShare ? MetricColumns.NewUsers : MetricColumns.Gmv).Cells(m);
        for (int k = 0; k < m.Tiers; k++)
            for (int p = 0; p < m.Platforms; p++)
            {
                if (s.Platform >= 0 && p != s.Platform) continue;
                double v = weight * source[m.At(k, p)];
                s.All += v;
                if (s.Tiers[k]) s.Selected += v;
            }
    }

    /// <summary>The simulated value by the metric's definition, or null when the run does not cover the period enough.</summary>
    private double? Simulate(CalibrationTargetSpec t, Target s, StepMetrics m)
    {
        double ppa = dims.PeoplePerAgent;
        double scale = 1;
        if (t.PeriodStart is { } from)
        {
            int days = t.Date.DayNumber - from.DayNumber + 1;
            if (s.CoveredDays < MinCoverage * days) return null;
            scale = (double)days / s.CoveredDays;
        }
        switch (t.Metric)
        {
            case CalibrationMetric.OnlineShoppers:
                {
                    long n = 0;
                    for (int k = 0; k < m.Tiers; k++) if (s.Tiers[k]) n += m.Consumers[k];
                    return MetricScale.People(n, ppa) / 1e6;
                }
            case CalibrationMetric.AnnualActive:
                return MetricScale.People(Accounts(s, m), ppa) / 1e6;
            case CalibrationMetric.Gmv:
                return MetricScale.YuanScaledFirst(s.Selected * scale, ppa) / 1e9;
            case CalibrationMetric.SpendPerBuyer:
                {
                    double accounts = Accounts(s, m);
                    return accounts > 0 ? MetricScale.FenToYuan(s.Selected * scale) / accounts : 0;
                }
            case CalibrationMetric.UsersShare:
                {
                    long all = 0, selected = 0;
                    for (int k = 0; k < m.Tiers; k++)
                    {
                        long a = m.AnnualActive[m.At(k, s.Platform)];
                        all += a;
                        if (s.Tiers[k]) selected += a;
                    }
                    return all > 0 ? (double)selected / all : 0;
                }
            case CalibrationMetric.GmvShare or CalibrationMetric.NewCustomersShare:
                return s.All > 0 ? s.Selected / s.All : 0;
            case CalibrationMetric.Overlap:
                {
                    long both = 0, a = 0, b = 0;
                    for (int k = 0; k < m.Tiers; k++)
                    {
                        if (!s.Tiers[k]) continue;
                        both += m.Overlap[m.At(k, s.Platform, s.With)];
                        a += m.AnnualActive[m.At(k, s.Platform)];
                        b += m.AnnualActive[m.At(k, s.With)];
                    }
                    long smaller = Math.Min(a, b);
                    return smaller > 0 ? (double)both / smaller : 0;
                }
            default:
                throw new InvalidOperationException($"calibration metric '{t.Metric}' has no definition");
        }
    }

    /// <summary>Annual-active accounts in the selected tiers, in agents: users × the platform's accounts per user.</summary>
    private double Accounts(Target s, StepMetrics m)
    {
        long users = 0;
        for (int k = 0; k < m.Tiers; k++) if (s.Tiers[k]) users += m.AnnualActive[m.At(k, s.Platform)];
        return users * accountsPerUser[s.Platform];
    }

    private static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (int i = 0; i < ids.Count; i++) if (ids[i] == id) return i;
        throw new ArgumentException($"unknown platform '{id}' in a calibration target", nameof(id));
    }

    private sealed class Target(bool[] tiers, int platform, int with)
    {
        public bool[] Tiers { get; } = tiers;
        public int Platform { get; } = platform;
        public int With { get; } = with;
        public double All { get; set; }
        public double Selected { get; set; }
        public int CoveredDays { get; set; }
        public bool Done { get; set; }
    }
}
