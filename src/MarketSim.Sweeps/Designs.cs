using MarketSim.Randomness;

namespace MarketSim.Sweeps;

/// <summary>
/// Design points in the unit hypercube, a pure function of (type, points, dimensions, seed): no thread, clock or
/// global generator is involved, so every process of a sharded sweep computes the same design.
/// </summary>
public static class Designs
{
    private const ulong RandomPurpose = 0x5357_4545_5052_4E44; // "SWEEPRND"
    private const ulong LhsPermutation = 0x5357_4545_504C_4850; // "SWEEPLHP"
    private const ulong LhsJitter = 0x5357_4545_504C_484A; // "SWEEPLHJ"

    /// <summary>Uniform draws: coordinate d of point i is draw i·dims + d of a SplitMix64 stream keyed on the seed.</summary>
    public static double[][] Random(int points, int dims, ulong seed)
    {
        ulong key = CounterRandom.Mix(seed ^ RandomPurpose);
        var x = NewMatrix(points, dims);
        for (int i = 0; i < points; i++)
        for (int d = 0; d < dims; d++)
            x[i][d] = CounterRandom.ToUnit(CounterRandom.At(key, (ulong)i * (ulong)dims + (ulong)d));
        return x;
    }

    /// <summary>
    /// Latin hypercube: for each dimension a Fisher–Yates permutation of the N strata (its own counter-based stream)
    /// and a uniform position inside the stratum, so that each stratum [k/N, (k+1)/N) holds exactly one point.
    /// </summary>
    public static double[][] LatinHypercube(int points, int dims, ulong seed)
    {
        var x = NewMatrix(points, dims);
        var perm = new int[points];
        for (int d = 0; d < dims; d++)
        {
            ulong pkey = CounterRandom.Mix(CounterRandom.Mix(seed ^ LhsPermutation) + (ulong)d * CounterRandom.Gamma);
            ulong jkey = CounterRandom.Mix(CounterRandom.Mix(seed ^ LhsJitter) + (ulong)d * CounterRandom.Gamma);
            for (int i = 0; i < points; i++) perm[i] = i;
            for (int i = points - 1; i > 0; i--)
            {
                int j = (int)(CounterRandom.At(pkey, (ulong)i) % (ulong)(i + 1));
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
            for (int i = 0; i < points; i++)
            {
                double u = (perm[i] + CounterRandom.ToUnit(CounterRandom.At(jkey, (ulong)i))) / points;
                // Rounding can carry (k + 0.99999…)/N up to (k+1)/N: keep the point inside its stratum.
                if ((int)(u * points) != perm[i] || u >= 1.0) u = (perm[i] + 0.5) / points;
                x[i][d] = u;
            }
        }
        return x;
    }

    /// <summary>Sobol points 1..N (point 0, the origin, is skipped: it would put every parameter at its minimum).</summary>
    public static double[][] Sobol(int points, int dims)
    {
        var x = NewMatrix(points, dims);
        for (int i = 0; i < points; i++)
        for (int d = 0; d < dims; d++)
            x[i][d] = SobolSequence.At(i + 1, d);
        return x;
    }

    /// <summary>Grid level indices: every combination, the last dimension varying fastest.</summary>
    public static int[][] Grid(IReadOnlyList<int> counts)
    {
        long total = counts.Aggregate(1L, (a, c) => a * c);
        var rows = new int[total][];
        for (long i = 0; i < total; i++)
        {
            var row = new int[counts.Count];
            long rest = i;
            for (int d = counts.Count - 1; d >= 0; d--)
            {
                row[d] = (int)(rest % counts[d]);
                rest /= counts[d];
            }
            rows[i] = row;
        }
        return rows;
    }

    private static double[][] NewMatrix(int points, int dims)
    {
        var x = new double[points][];
        for (int i = 0; i < points; i++) x[i] = new double[dims];
        return x;
    }
}
