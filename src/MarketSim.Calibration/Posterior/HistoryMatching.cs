using MarketSim.Sweeps;

namespace MarketSim.Calibration.Posterior;

/// <summary>History matching's settings.</summary>
/// <param name="Waves">Waves (at least one).</param>
/// <param name="Points">Points per wave.</param>
/// <param name="Cutoff">A point is kept when its largest implausibility is at most this (3: Pukelsheim's three-sigma rule).</param>
/// <param name="Seed">Seed of the waves' Latin hypercubes.</param>
/// <param name="Rank">Which largest implausibility decides (1: the largest; 2 or 3 with many figures, <see cref="Observations.RankedImplausibility"/>).</param>
public sealed record HistoryMatchingSettings(int Waves, int Points, double Cutoff, ulong Seed, int Rank = 1);

/// <summary>One wave: the region it sampled, its points, what they gave and the region it leaves for the next.</summary>
/// <param name="Index">0-based wave number.</param>
/// <param name="Region">The box the wave's Latin hypercube filled.</param>
/// <param name="Points">Its points in the unit cube, in design order.</param>
/// <param name="Simulated">Each point's simulation.</param>
/// <param name="Implausibility">Each point's largest implausibility over the weighted targets (or the rank-th largest).</param>
/// <param name="Kept">Each point: at most the cut-off (not implausible).</param>
/// <param name="Next">The region left: the kept points' bounding box, widened (see <see cref="HistoryMatching.Widen"/>).</param>
/// <param name="ShareOfPrior">Estimated share of the prior's mass not ruled out after this wave: the region's volume × the kept share.</param>
public sealed record Wave(int Index, Box Region, IReadOnlyList<double[]> Points, IReadOnlyList<SimulatedPoint> Simulated,
    IReadOnlyList<double> Implausibility, IReadOnlyList<bool> Kept, Box? Next, double ShareOfPrior)
{
    /// <summary>Points kept.</summary>
    public int KeptCount => Kept.Count(k => k);
}

/// <summary>Thrown when a wave keeps no point: no parameter set in the region meets the figures within the cut-off.</summary>
public sealed class NothingPlausibleException(string message) : Exception(message);

/// <summary>
/// History matching without an emulator (McCulloch et al., JASSS 25(2) 1, 2022, section 3; Andrianakis et al. 2015):
/// each wave is a Latin hypercube (<see cref="Designs.LatinHypercube"/>) in the current region; every point is simulated
/// and kept when its largest implausibility over the targets is at most the cut-off. The non-implausible region is
/// represented by the kept points' bounding box, widened so that the gaps between points at its edges are not cut
/// away, and the next wave's design fills that box (uniform sampling inside it: the prior restricted to the box). The
/// box over-covers the region (it is never smaller than the kept points' hull); ABC afterwards discards what does not fit.
/// </summary>
public static class HistoryMatching
{
    private const ulong WavePurpose = 0x504F_5354_5741_5645; // "POSTWAVE"

    /// <summary>Each point's simulation stream in wave w: distinct from every ABC proposal's.</summary>
    public static ulong Stream(int wave, int point) => ((ulong)(wave + 1) << 40) | (uint)point;

    /// <summary>Wave <paramref name="wave"/>'s design inside <paramref name="region"/>.</summary>
    public static double[][] Design(Box region, int wave, HistoryMatchingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(settings);
        var unit = Designs.LatinHypercube(settings.Points, region.Low.Length, settings.Seed ^ WavePurpose ^ (ulong)wave * 0x9E37_79B9UL);
        return [.. unit.Select(region.Map)];
    }

    /// <summary>
    /// The kept points' bounding box widened on each side by a tenth of its width plus the design's typical point spacing
    /// along one dimension (the region's width × points^(−1/d) in d dimensions), clipped to the region: a kept point at
    /// the box's edge is usually not at the edge of the non-implausible region, which reaches about one spacing further.
    /// In many dimensions a wave of few points is far apart, and the box then hardly shrinks: the data cannot yet say more.
    /// </summary>
    public static Box Widen(Box region, IEnumerable<double[]> kept, int points)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(kept);
        int dims = region.Low.Length;
        var lo = Enumerable.Repeat(double.PositiveInfinity, dims).ToArray();
        var hi = Enumerable.Repeat(double.NegativeInfinity, dims).ToArray();
        foreach (var p in kept)
            for (int d = 0; d < dims; d++)
            {
                lo[d] = Math.Min(lo[d], p[d]);
                hi[d] = Math.Max(hi[d], p[d]);
            }
        for (int d = 0; d < dims; d++)
        {
            double margin = 0.1 * (hi[d] - lo[d]) + (region.High[d] - region.Low[d]) * Math.Pow(points, -1.0 / dims);
            lo[d] = Math.Max(region.Low[d], lo[d] - margin);
            hi[d] = Math.Min(region.High[d], hi[d] + margin);
        }
        return new Box(lo, hi);
    }

    /// <summary>
    /// Runs the waves from the whole prior. <paramref name="simulated"/> is told each wave as it completes (for logging
    /// and progress). Throws <see cref="NothingPlausibleException"/> when a wave keeps nothing.
    /// </summary>
    public static IReadOnlyList<Wave> Run(IPosteriorModel model, Observations observations, HistoryMatchingSettings settings,
        Action<Wave>? simulated = null, Box? start = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(settings);
        var waves = new List<Wave>();
        var region = start ?? Box.Unit(model.Dimensions);
        for (int w = 0; w < settings.Waves; w++)
        {
            var points = Design(region, w, settings);
            var streams = Enumerable.Range(0, points.Length).Select(i => Stream(w, i)).ToArray();
            var sims = model.Simulate(points, streams, ct);
            var implausibility = sims.Select(x => observations.RankedImplausibility(x, settings.Rank)).ToArray();
            var kept = implausibility.Select(i => i <= settings.Cutoff).ToArray();
            int keptCount = kept.Count(k => k);
            var next = keptCount == 0 ? null : Widen(region, points.Where((_, i) => kept[i]), settings.Points);
            var wave = new Wave(w, region, points, sims, implausibility, kept, next, region.Volume * keptCount / points.Length);
            waves.Add(wave);
            simulated?.Invoke(wave);
            if (next is null)
                throw new NothingPlausibleException(
                    $"history matching's wave {w + 1} kept none of its {points.Length} points (least implausibility " +
                    $"{implausibility.Min():G3}, cut-off {settings.Cutoff:G3}): no parameter set in the region meets every figure within " +
                    "its uncertainty; widen the priors, state a larger model discrepancy, judge by the second or third largest implausibility " +
                    "(history_matching: {rank: 2}) or give the wave more points");
            region = next;
        }
        return waves;
    }
}
