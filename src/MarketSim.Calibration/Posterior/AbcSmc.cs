using MathNet.Numerics.LinearAlgebra;

namespace MarketSim.Calibration.Posterior;

/// <summary>ABC-SMC's settings.</summary>
/// <param name="Population">Particles per generation.</param>
/// <param name="Quantile">ε_t is this weighted quantile of the previous generation's distances (0.5: pyABC's default median).</param>
/// <param name="MinEpsilon">Stop once a generation's ε is at most this (the last ε is never set below it).</param>
/// <param name="MinAcceptance">Stop when a generation accepts fewer than this share of its proposals; a generation that would need
/// more than Population ÷ MinAcceptance proposals is abandoned and the previous one stands.</param>
/// <param name="MaxGenerations">Generations after generation 0 (the prior sample).</param>
/// <param name="Seed">Seed of the prior sample and the proposals.</param>
public sealed record AbcSettings(int Population, double Quantile, double MinEpsilon, double MinAcceptance, int MaxGenerations, ulong Seed);

/// <summary>An accepted parameter set.</summary>
/// <param name="Point">Its position in the unit cube.</param>
/// <param name="Weight">Its normalised importance weight.</param>
/// <param name="Distance">Its distance to the observations.</param>
/// <param name="Simulated">Its simulation.</param>
public sealed record Particle(double[] Point, double Weight, double Distance, SimulatedPoint Simulated);

/// <summary>One generation's population and diagnostics.</summary>
/// <param name="Index">0 for the prior sample, then 1, 2, ….</param>
/// <param name="Epsilon">Its threshold (infinite for generation 0).</param>
/// <param name="Proposals">Proposals simulated up to its last acceptance (or all of them when abandoned).</param>
/// <param name="Particles">Its accepted particles in proposal order; fewer than the population when abandoned.</param>
/// <param name="Complete">False when the acceptance floor abandoned it.</param>
public sealed record Generation(int Index, double Epsilon, int Proposals, IReadOnlyList<Particle> Particles, bool Complete)
{
    /// <summary>Accepted ÷ proposals.</summary>
    public double AcceptanceRate => Proposals == 0 ? 0 : (double)Particles.Count / Proposals;

    /// <summary>Kish's effective sample size, 1 / Σ w².</summary>
    public double EffectiveSampleSize => 1 / Particles.Sum(p => p.Weight * p.Weight);
}

/// <summary>
/// ABC-SMC with adaptive thresholds (Beaumont, Cornuet, Marin and Robert 2009, "Adaptive approximate Bayesian
/// computation", Biometrika 96(4); Del Moral, Doucet and Jasra 2012; the design of pyABC, Klinger, Rickert and
/// Hasenauer 2018, github.com/ICB-DCM/pyABC): generation 0 samples the prior (uniform in a box of the unit cube) and
/// accepts everything; generation t sets ε_t to a weighted quantile of generation t−1's distances, proposes by picking
/// a particle of t−1 by weight and moving it with a multivariate normal kernel of twice the weighted covariance
/// (proposals outside the box are drawn again, unsimulated), accepts a proposal whose distance is at most ε_t, and
/// weights it prior(θ) / Σ_j w_j K(θ | θ_j). Proposal k of a generation uses its own counter-based stream, and
/// proposals are accepted in their order: the population is the first N accepted, whatever the batch size and thread
/// count, so the result is the same bytes at any thread count.
/// </summary>
public static class AbcSmc
{
    private const ulong PriorPurpose = 0x504F_5354_5052_494F; // "POSTPRIO"
    private const ulong ProposalPurpose = 0x504F_5354_5052_4F50; // "POSTPROP"

    /// <summary>Simulation stream of proposal k of generation t: distinct from history matching's.</summary>
    public static ulong Stream(int generation, long proposal) => (1UL << 63) | ((ulong)generation << 40) | (ulong)proposal;

    /// <summary>
    /// Runs generation 0 and then generations until a stopping rule holds. <paramref name="batch"/> proposals are simulated
    /// side by side at a time (it changes how many surplus proposals are simulated, never the result).
    /// <paramref name="completed"/> is told each generation as it completes.
    /// </summary>
    public static IReadOnlyList<Generation> Run(IPosteriorModel model, Func<SimulatedPoint, double> distance, Box region, AbcSettings settings,
        int batch, Action<Generation>? completed = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(distance);
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(settings);
        int n = settings.Population, dims = model.Dimensions;
        batch = Math.Max(1, batch);

        // Generation 0: the prior restricted to the region, everything accepted.
        var prior = new double[n][];
        for (int k = 0; k < n; k++)
        {
            var s = DrawStream.For(settings.Seed, PriorPurpose, 0, (ulong)k);
            prior[k] = region.Map([.. Enumerable.Range(0, dims).Select(_ => s.Unit())]);
        }
        var sims0 = model.Simulate(prior, [.. Enumerable.Range(0, n).Select(k => Stream(0, k))], ct);
        var current = new Generation(0, double.PositiveInfinity, n,
            [.. prior.Select((p, k) => new Particle(p, 1.0 / n, distance(sims0[k]), sims0[k]))], Complete: true);
        var generations = new List<Generation> { current };
        completed?.Invoke(current);

        double rate = 1;
        for (int t = 1; t <= settings.MaxGenerations; t++)
        {
            double eps = Math.Max(WeightedQuantile(current.Particles.Select(p => p.Distance).ToArray(),
                current.Particles.Select(p => p.Weight).ToArray(), settings.Quantile), settings.MinEpsilon);
            var kernel = Kernel.Fit(current.Particles);
            var cumulative = Cumulative(current.Particles);
            var accepted = new List<(double[] Point, double Distance, SimulatedPoint Sim)>(n);
            long limit = (long)Math.Ceiling(n / settings.MinAcceptance);
            long next = 0, used = 0;
            while (accepted.Count < n && next < limit)
            {
                // A batch sized to what the last acceptance rate says is still needed, at least one per thread.
                int size = (int)Math.Min(limit - next, Math.Max(batch, Math.Min(4L * n, (long)Math.Ceiling((n - accepted.Count) / Math.Max(rate, 0.01)))));
                var points = new double[size][];
                for (int i = 0; i < size; i++) points[i] = Propose(current.Particles, cumulative, kernel, region, settings.Seed, t, next + i);
                var sims = model.Simulate(points, [.. Enumerable.Range(0, size).Select(i => Stream(t, next + i))], ct);
                for (int i = 0; i < size && accepted.Count < n; i++)
                {
                    double d = distance(sims[i]);
                    if (d <= eps) accepted.Add((points[i], d, sims[i]));
                    used = next + i + 1;
                }
                next += size;
            }
            if (accepted.Count < n)
            {
                // The acceptance floor: this generation is abandoned; the previous population is the result.
                generations.Add(new Generation(t, eps, (int)next, [.. accepted.Select(a => new Particle(a.Point, 0, a.Distance, a.Sim))], Complete: false));
                completed?.Invoke(generations[^1]);
                break;
            }
            var weights = new double[n];
            for (int i = 0; i < n; i++) weights[i] = 1.0 / kernel.Mixture(accepted[i].Point, current.Particles);
            double total = 0;
            for (int i = 0; i < n; i++) total += weights[i];
            current = new Generation(t, eps, (int)used, [.. accepted.Select((a, i) => new Particle(a.Point, weights[i] / total, a.Distance, a.Sim))], Complete: true);
            generations.Add(current);
            completed?.Invoke(current);
            rate = current.AcceptanceRate;
            if (eps <= settings.MinEpsilon || rate < settings.MinAcceptance) break;
        }
        return generations;
    }

    /// <summary>The last complete generation: the posterior sample.</summary>
    public static Generation Final(IReadOnlyList<Generation> generations)
    {
        ArgumentNullException.ThrowIfNull(generations);
        return generations.Last(g => g.Complete);
    }

    /// <summary>
    /// The weighted q-quantile: the smallest value whose cumulative weight (values sorted ascending, ties in input order)
    /// reaches q of the total.
    /// </summary>
    public static double WeightedQuantile(IReadOnlyList<double> values, IReadOnlyList<double> weights, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(weights);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ThenBy(i => i).ToArray();
        double total = 0;
        for (int i = 0; i < weights.Count; i++) total += weights[i];
        double sum = 0;
        foreach (int i in order)
        {
            sum += weights[i];
            if (sum >= q * total) return values[i];
        }
        return values[order[^1]];
    }

    private static double[] Cumulative(IReadOnlyList<Particle> particles)
    {
        var c = new double[particles.Count];
        double sum = 0;
        for (int i = 0; i < c.Length; i++) c[i] = sum += particles[i].Weight;
        return c;
    }

    private static double[] Propose(IReadOnlyList<Particle> particles, double[] cumulative, Kernel kernel, Box region, ulong seed, int generation, long proposal)
    {
        var s = DrawStream.For(seed, ProposalPurpose, (ulong)generation, (ulong)proposal);
        // Redraw until inside the region, where the prior has mass; after many failures the particle itself (inside by construction).
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            double u = s.Unit() * cumulative[^1];
            int j = Array.BinarySearch(cumulative, u);
            j = j < 0 ? ~j : j;
            j = Math.Min(j, particles.Count - 1);
            var x = kernel.Perturb(particles[j].Point, ref s);
            if (region.Contains(x)) return x;
        }
        return (double[])particles[0].Point.Clone();
    }

    /// <summary>The multivariate normal perturbation kernel with covariance twice the weighted covariance (Beaumont et al. 2009).</summary>
    internal sealed class Kernel
    {
        private readonly Matrix<double> lower;
        private readonly Matrix<double> inverse;
        private readonly double logNormaliser;
        private readonly int dims;

        private Kernel(Matrix<double> covariance)
        {
            dims = covariance.RowCount;
            var cholesky = covariance.Cholesky();
            lower = cholesky.Factor;
            inverse = covariance.Inverse();
            double logDet = 0;
            for (int d = 0; d < dims; d++) logDet += 2 * Math.Log(lower[d, d]);
            logNormaliser = -0.5 * (dims * Math.Log(2 * Math.PI) + logDet);
        }

        /// <summary>Twice the weighted covariance of the particles, with a small ridge so a collapsed dimension stays positive definite.</summary>
        public static Kernel Fit(IReadOnlyList<Particle> particles)
        {
            int dims = particles[0].Point.Length;
            var mean = new double[dims];
            foreach (var p in particles)
                for (int d = 0; d < dims; d++) mean[d] += p.Weight * p.Point[d];
            var cov = Matrix<double>.Build.Dense(dims, dims);
            foreach (var p in particles)
                for (int a = 0; a < dims; a++)
                    for (int b = 0; b < dims; b++)
                        cov[a, b] += p.Weight * (p.Point[a] - mean[a]) * (p.Point[b] - mean[b]);
            for (int d = 0; d < dims; d++) cov[d, d] += 1e-12;
            return new Kernel(2 * cov);
        }

        public double[] Perturb(double[] centre, ref DrawStream s)
        {
            var z = new double[dims];
            for (int d = 0; d < dims; d++) z[d] = s.Normal();
            var x = new double[dims];
            for (int a = 0; a < dims; a++)
            {
                double v = centre[a];
                for (int b = 0; b <= a; b++) v += lower[a, b] * z[b];
                x[a] = v;
            }
            return x;
        }

        /// <summary>Σ_j w_j K(x | θ_j), summed in particle order.</summary>
        public double Mixture(double[] x, IReadOnlyList<Particle> particles)
        {
            var diff = new double[dims];
            double sum = 0;
            foreach (var p in particles)
            {
                for (int d = 0; d < dims; d++) diff[d] = x[d] - p.Point[d];
                double q = 0;
                for (int a = 0; a < dims; a++)
                {
                    double row = 0;
                    for (int b = 0; b < dims; b++) row += inverse[a, b] * diff[b];
                    q += diff[a] * row;
                }
                sum += p.Weight * Math.Exp(logNormaliser - 0.5 * q);
            }
            return sum;
        }
    }
}
