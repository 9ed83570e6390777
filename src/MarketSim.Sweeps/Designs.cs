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

    private const ulong MorrisStart = 0x5357_4545_504D_5253; // "SWEEPMRS"
    private const ulong MorrisOrder = 0x5357_4545_504D_524F; // "SWEEPMRO"

    /// <summary>Rows of one Saltelli block: A, A_B^1 … A_B^k, (B_A^1 … B_A^k with second order), B.</summary>
    public static int SaltelliBlock(int dims, bool secondOrder) => secondOrder ? 2 * dims + 2 : dims + 2;

    /// <summary>
    /// Sobol points skipped before the Saltelli base points, as SALib's sample/saltelli.py: the next power of two ≥ N.
    /// Point 0 is the origin and point 1 is (½, ½, …), which would make A = B; the points from 2^m on avoid both.
    /// </summary>
    public static long SaltelliSkip(int basePoints) => basePoints <= 1 ? 1 : 1L << (int)Math.Ceiling(Math.Log2(basePoints));

    /// <summary>
    /// The Saltelli (2010) sample in SALib's order: base point i is point <see cref="SaltelliSkip"/> + i of a Sobol
    /// sequence of dimension 2k and gives A = its first k coordinates and B = its last k; block i holds the rows
    /// A, A_B^1 … A_B^k (A with column j taken from B), with <paramref name="secondOrder"/> B_A^1 … B_A^k (B with column j
    /// from A), then B. N·(k+2) rows, or N·(2k+2).
    /// </summary>
    public static double[][] Saltelli(int basePoints, int dims, bool secondOrder)
    {
        if (2 * dims > SobolSequence.MaxDimensions)
            throw new ArgumentOutOfRangeException(nameof(dims), $"Saltelli needs a Sobol sequence of dimension 2k ≤ {SobolSequence.MaxDimensions}");
        int block = SaltelliBlock(dims, secondOrder);
        long skip = SaltelliSkip(basePoints);
        var x = NewMatrix(basePoints * block, dims);
        var a = new double[dims];
        var b = new double[dims];
        for (int i = 0; i < basePoints; i++)
        {
            for (int d = 0; d < dims; d++)
            {
                a[d] = SobolSequence.At(skip + i, d);
                b[d] = SobolSequence.At(skip + i, dims + d);
            }
            int row = i * block;
            a.CopyTo(x[row], 0);
            for (int j = 0; j < dims; j++)
            {
                a.CopyTo(x[row + 1 + j], 0);
                x[row + 1 + j][j] = b[j];
            }
            if (secondOrder)
                for (int j = 0; j < dims; j++)
                {
                    b.CopyTo(x[row + 1 + dims + j], 0);
                    x[row + 1 + dims + j][j] = a[j];
                }
            b.CopyTo(x[row + block - 1], 0);
        }
        return x;
    }

    /// <summary>Morris's step in unit coordinates for <paramref name="levels"/> levels: p / (2(p − 1)).</summary>
    public static double MorrisDelta(int levels) => levels / (2.0 * (levels - 1));

    /// <summary>
    /// Morris (1991) trajectories on the grid {0, 1/(p−1), …, 1}: each of the <paramref name="trajectories"/> blocks of k+1
    /// rows starts at a uniformly drawn grid point and changes one coordinate per row, in a random order, by +Δ where
    /// that stays ≤ 1 and by −Δ otherwise (Δ = p/(2(p−1)), so a level below one half goes up and one above goes down,
    /// and every level is equally likely before and after the step). Counter-based draws from <paramref name="seed"/>.
    /// </summary>
    public static double[][] Morris(int trajectories, int dims, int levels, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 2);
        int steps = levels - 1;
        int jump = levels / 2; // Δ in grid steps: p/(2(p−1)) × (p−1) = p/2 for even p
        var x = NewMatrix(trajectories * (dims + 1), dims);
        ulong startKey = CounterRandom.Mix(seed ^ MorrisStart);
        ulong orderKey = CounterRandom.Mix(seed ^ MorrisOrder);
        var level = new int[dims];
        var order = new int[dims];
        for (int t = 0; t < trajectories; t++)
        {
            for (int d = 0; d < dims; d++)
                level[d] = (int)(CounterRandom.At(startKey, (ulong)t * (ulong)dims + (ulong)d) % (ulong)levels);
            for (int d = 0; d < dims; d++) order[d] = d;
            for (int d = dims - 1; d > 0; d--)
            {
                int j = (int)(CounterRandom.At(orderKey, (ulong)t * (ulong)dims + (ulong)d) % (ulong)(d + 1));
                (order[d], order[j]) = (order[j], order[d]);
            }
            int row = t * (dims + 1);
            for (int d = 0; d < dims; d++) x[row][d] = (double)level[d] / steps;
            for (int s = 0; s < dims; s++)
            {
                int d = order[s];
                level[d] = level[d] + jump <= steps ? level[d] + jump : level[d] - jump;
                for (int e = 0; e < dims; e++) x[row + 1 + s][e] = (double)level[e] / steps;
            }
        }
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
