using MarketSim.Randomness;

namespace MarketSim.Calibration.Posterior;

/// <summary>
/// A simulated point: each target's mean over the replications and the variance between replications (the ensemble
/// variance of one replication; 0 when there is only one).
/// </summary>
/// <param name="Mean">Per target, the mean over replications.</param>
/// <param name="EnsembleVariance">Per target, the sample variance between replications (n − 1 divisor); 0 with one.</param>
/// <param name="Replications">Replications behind the mean.</param>
public sealed record SimulatedPoint(double[] Mean, double[] EnsembleVariance, int Replications)
{
    /// <summary>The mean and sample variance of per-replication values, summed in replication order (the same at any thread count).</summary>
    public static SimulatedPoint FromReplications(IReadOnlyList<double[]> replications)
    {
        ArgumentNullException.ThrowIfNull(replications);
        int r = replications.Count, n = replications[0].Length;
        var mean = new double[n];
        var variance = new double[n];
        for (int t = 0; t < n; t++)
        {
            double sum = 0;
            for (int i = 0; i < r; i++) sum += replications[i][t];
            mean[t] = sum / r;
            if (r < 2) continue;
            double ss = 0;
            for (int i = 0; i < r; i++) ss += (replications[i][t] - mean[t]) * (replications[i][t] - mean[t]);
            variance[t] = ss / (r - 1);
        }
        return new SimulatedPoint(mean, variance, r);
    }
}

/// <summary>
/// The model seen by history matching and ABC: points in the prior's unit cube (every prior is uniform there: a
/// uniform prior maps linearly, a log-uniform one through its logarithm), simulated side by side. A stream number per
/// point lets a stochastic model draw fresh noise for each proposal; a model under common random numbers ignores it.
/// Implementations must be deterministic functions of (point, stream).
/// </summary>
public interface IPosteriorModel
{
    /// <summary>Parameters (dimensions of the unit cube).</summary>
    int Dimensions { get; }

    /// <summary>Simulates every point; result i belongs to point i whatever order the work was done in.</summary>
    IReadOnlyList<SimulatedPoint> Simulate(IReadOnlyList<double[]> unitPoints, IReadOnlyList<ulong> streams, CancellationToken ct);
}

/// <summary>
/// The observed figures and their uncertainty: each target's value z, its observation variance (from its tolerance),
/// the model-discrepancy variance and its weight (0: reported only, used by neither stage).
/// </summary>
/// <param name="Observed">z per target.</param>
/// <param name="ObservationVariance">Var_obs per target.</param>
/// <param name="DiscrepancyVariance">Var_md per target.</param>
/// <param name="Weight">Weight per target in the distance; targets weighted 0 are left out of both stages.</param>
public sealed record Observations(double[] Observed, double[] ObservationVariance, double[] DiscrepancyVariance, double[] Weight)
{
    /// <summary>Number of targets.</summary>
    public int Count => Observed.Length;

    /// <summary>
    /// Implausibility of target t at a simulated point (Craig et al. 1997; McCulloch et al. 2022, eq. 3):
    /// |z − E[f]| / sqrt(Var_obs + Var_md + Var_ens / R), Var_ens / R being the variance of the replications' mean.
    /// </summary>
    public double Implausibility(SimulatedPoint s, int t)
    {
        ArgumentNullException.ThrowIfNull(s);
        double v = ObservationVariance[t] + DiscrepancyVariance[t] + s.EnsembleVariance[t] / s.Replications;
        return Math.Abs(Observed[t] - s.Mean[t]) / Math.Sqrt(v);
    }

    /// <summary>The largest implausibility over the weighted targets (a point is kept when it is at most the cut-off).</summary>
    public double MaxImplausibility(SimulatedPoint s) => RankedImplausibility(s, 1);

    /// <summary>
    /// The <paramref name="rank"/>-th largest implausibility over the weighted targets (1: the largest). With many
    /// figures, some of which the model's structure cannot reach, history matching judges by the second or third largest
    /// (Vernon, Goldstein and Bower 2010, Bayesian Analysis 5(4), "I_2M", "I_3M"; McCulloch et al. 2022): one or two
    /// figures then cannot rule out every parameter set. With fewer weighted targets than the rank, the smallest.
    /// </summary>
    public double RankedImplausibility(SimulatedPoint s, int rank)
    {
        ArgumentNullException.ThrowIfNull(s);
        var values = new List<double>(Count);
        for (int t = 0; t < Count; t++)
            if (Weight[t] > 0)
            {
                double i = Implausibility(s, t);
                // A target not simulated at all (NaN) rules the point out.
                values.Add(double.IsNaN(i) ? double.PositiveInfinity : i);
            }
        if (values.Count == 0) return 0;
        values.Sort();
        return values[Math.Max(0, values.Count - rank)];
    }

    /// <summary>
    /// ABC's distance: the weighted root-mean-square of the standardized errors, sqrt(Σ w_t (f_t − z_t)² / (Var_obs +
    /// Var_md) / Σ w_t). Each target is measured on its own uncertainty's scale (5 % and 10 % figures are not mixed as
    /// if alike), so a distance of 1 means "the figures are met, on average, within one standard uncertainty".
    /// </summary>
    public double Distance(SimulatedPoint s)
    {
        ArgumentNullException.ThrowIfNull(s);
        double sum = 0, weights = 0;
        for (int t = 0; t < Count; t++)
        {
            if (Weight[t] <= 0) continue;
            double e = s.Mean[t] - Observed[t];
            sum += Weight[t] * e * e / (ObservationVariance[t] + DiscrepancyVariance[t]);
            weights += Weight[t];
        }
        double d = Math.Sqrt(sum / weights);
        return double.IsFinite(d) ? d : double.PositiveInfinity;
    }
}

/// <summary>A box in the unit cube: the region a wave samples, and the region ABC's prior is truncated to.</summary>
/// <param name="Low">Lower corner.</param>
/// <param name="High">Upper corner.</param>
public sealed record Box(double[] Low, double[] High)
{
    /// <summary>The whole unit cube of <paramref name="dims"/> dimensions.</summary>
    public static Box Unit(int dims) => new(new double[dims], Enumerable.Repeat(1.0, dims).ToArray());

    /// <summary>Its volume: its share of the prior's mass (the prior is uniform in the unit cube).</summary>
    public double Volume
    {
        get
        {
            double v = 1;
            for (int d = 0; d < Low.Length; d++) v *= High[d] - Low[d];
            return v;
        }
    }

    /// <summary>True when <paramref name="u"/> lies inside (bounds included).</summary>
    public bool Contains(IReadOnlyList<double> u)
    {
        ArgumentNullException.ThrowIfNull(u);
        for (int d = 0; d < Low.Length; d++)
            if (!(u[d] >= Low[d] && u[d] <= High[d])) return false;
        return true;
    }

    /// <summary>A unit-cube point mapped into the box.</summary>
    public double[] Map(IReadOnlyList<double> unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var x = new double[Low.Length];
        for (int d = 0; d < x.Length; d++) x[d] = Math.Clamp(Low[d] + unit[d] * (High[d] - Low[d]), Low[d], High[d]);
        return x;
    }
}

/// <summary>
/// A sequential stream of counter-based draws: output n of SplitMix64 keyed on (seed, purpose, index). A proposal
/// takes as many draws as its rejections need, all from its own stream, so it never depends on another's.
/// </summary>
internal struct DrawStream(ulong key)
{
    private ulong n;

    public static DrawStream For(ulong seed, ulong purpose, ulong a, ulong b) =>
        new(CounterRandom.Mix(CounterRandom.Mix(CounterRandom.Mix(seed ^ purpose) + a * CounterRandom.Gamma) + b * CounterRandom.Gamma));

    public ulong Next() => CounterRandom.At(key, n++);

    /// <summary>Uniform in [0, 1).</summary>
    public double Unit() => CounterRandom.ToUnit(Next());

    /// <summary>A standard normal draw (Box–Muller, one of the pair; the other is not kept so the count of draws is fixed).</summary>
    public double Normal()
    {
        double u1 = 1.0 - Unit(), u2 = Unit();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
