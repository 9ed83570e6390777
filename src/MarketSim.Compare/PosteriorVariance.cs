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
