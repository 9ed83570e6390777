using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace MarketSim.Compare;

/// <summary>
/// A difference's mean and interval over K posterior draws × R replications, its variance split by the law of total
/// variance into parameter and Monte-Carlo parts.
/// </summary>
/// <param name="Mean">Mean over every draw and replication (draws weigh alike: they are resampled by weight).</param>
/// <param name="ParameterVariance">Var over draws of the draw's expected difference: the between-draw variance of the draw means
/// less what their own Monte-Carlo noise adds to it (W / R), never below 0.</param>
/// <param name="MonteCarloVariance">The variance of one draw's mean over R replications: W / R, W the pooled within-draw variance.</param>
/// <param name="HalfWidth">Half-width of the 95 % interval: t(0.975, ν) × sqrt(total), ν by Welch–Satterthwaite (R − 1 for one draw).</param>
public sealed record PosteriorDifference(double Mean, double ParameterVariance, double MonteCarloVariance, double HalfWidth)
{
    /// <summary>Parameter + Monte-Carlo variance.</summary>
    public double TotalVariance => ParameterVariance + MonteCarloVariance;

    /// <summary>Share of the total variance from parameter uncertainty (the Monte-Carlo share is 1 minus it); null when the total is 0.</summary>
    public double? ParameterShare => TotalVariance > 0 ? ParameterVariance / TotalVariance : null;
}

/// <summary>
/// The statistics of a comparison under a posterior ensemble (issue 28): every interval combines parameter and
/// Monte-Carlo uncertainty. With one draw it is exactly <see cref="ComparisonTable"/>'s interval over replications.
/// </summary>
public static class PosteriorVariance
{
    /// <summary>
    /// The difference's statistics from <paramref name="perDraw"/>[k][r] (K ≥ 1 draws, R ≥ 2 replications each, the
    /// same R). Law of total variance: Var(d) = Var_θ(E[d | θ]) + E_θ[Var(d | θ)]; the sample variance of the K draw
    /// means estimates Var_θ(μ) + W/R, so the parameter part is that less W/R (at least 0), and the Monte-Carlo part of
    /// an effect estimated from R replications is W/R.
    /// </summary>
    public static PosteriorDifference Summarise(IReadOnlyList<double[]> perDraw)
    {
        ArgumentNullException.ThrowIfNull(perDraw);
        int k = perDraw.Count, r = perDraw[0].Length;
        if (k < 1 || r < 2 || perDraw.Any(d => d.Length != r)) throw new ArgumentException("expected K ≥ 1 draws of the same R ≥ 2 replications", nameof(perDraw));
        var means = new double[k];
        double within = 0;
        for (int i = 0; i < k; i++)
        {
            means[i] = ArrayStatistics.Mean(perDraw[i]);
            within += ArrayStatistics.Variance(perDraw[i]); // summed in draw order: the same bits at any thread count
        }
        within /= k;
        double mc = within / r;
        double mean = k == 1 ? means[0] : ArrayStatistics.Mean(means);
        double between = k > 1 ? ArrayStatistics.Variance(means) : 0;
        double parameter = Math.Max(0, between - mc);
        double total = parameter + mc;
        // Welch–Satterthwaite: the parameter part known with K − 1 degrees of freedom, W with K(R − 1).
        double nu = k == 1 ? r - 1
            : total == 0 ? k * (r - 1)
            : total * total / (parameter * parameter / (k - 1) + mc * mc / (k * (r - 1.0)));
        double half = k == 1
            ? ComparisonTable.HalfWidth(r, Math.Sqrt(within))
            : StudentT.InvCDF(0, 1, nu, 0.5 + ComparisonTable.Confidence / 2) * Math.Sqrt(total);
        return new PosteriorDifference(mean, parameter, mc, half);
    }
}

/// <summary>One difference's statistics as the files write them.</summary>
/// <param name="Mean">Mean difference.</param>
/// <param name="Sd">Sample standard deviation of one run's difference over every run (null with one run).</param>
/// <param name="Low">Lower end of the 95 % interval (null with one run).</param>
/// <param name="High">Upper end.</param>
/// <param name="ParameterShare">Share of the interval's variance from parameter uncertainty (posterior comparisons only; null otherwise or when the variance is 0).</param>
internal readonly record struct DifferenceStatistics(double Mean, double? Sd, double? Low, double? High, double? ParameterShare)
{
    /// <summary>True where the interval excludes zero; null without one.</summary>
    public bool? Significant => Low is { } low && High is { } high ? low > 0 || high < 0 : null;

    /// <summary>
    /// The one definition of a difference's statistics from per-run values <paramref name="d"/>, shared by the
    /// per-step table, the totals and attribution. Without a posterior (<paramref name="draws"/> 0): the mean over
    /// replications and its Student-t interval (<paramref name="tQuantile"/> with R − 1 degrees of freedom). Under a
    /// posterior of K draws (runs in draw order, R each): <see cref="PosteriorVariance.Summarise"/>'s combined interval
    /// and its parameter share; with K = 1 the mean and interval are bit for bit those without a posterior.
    /// </summary>
    public static DifferenceStatistics Of(double[] d, double tQuantile, int draws)
    {
        double mean;
        if (draws <= 0)
        {
            mean = ArrayStatistics.Mean(d);
            if (d.Length < 2) return new DifferenceStatistics(mean, null, null, null, null);
            double sd = ArrayStatistics.StandardDeviation(d);
            double half = tQuantile * sd / Math.Sqrt(d.Length);
            return new DifferenceStatistics(mean, sd, mean - half, mean + half, null);
        }
        int r = d.Length / draws;
        if (r * draws != d.Length) throw new ArgumentException($"{d.Length} runs are not {draws} draws of equal replications", nameof(d));
        var perDraw = new double[draws][];
        for (int k = 0; k < draws; k++) perDraw[k] = d.AsSpan(k * r, r).ToArray();
        var p = PosteriorVariance.Summarise(perDraw);
        return new DifferenceStatistics(p.Mean, ArrayStatistics.StandardDeviation(d), p.Mean - p.HalfWidth, p.Mean + p.HalfWidth, p.ParameterShare);
    }
}
