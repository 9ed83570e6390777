namespace MarketSim.Sweeps;

/// <summary>
/// The Sobol sequence in base 2 with Joe and Kuo's direction numbers (file <c>new-joe-kuo-6.21201</c>,
/// https://web.maths.unsw.edu.au/~fkuo/sobol/): dimension 1 is van der Corput, dimensions 2..32 use the table below.
/// Points are computed directly from the Gray code of their index, so point i does not depend on the points before it.
/// </summary>
public static class SobolSequence
{
    /// <summary>Bits of precision: points are multiples of 2^-32.</summary>
    public const int Bits = 32;

    // Joe & Kuo (2008), new-joe-kuo-6.21201, dimensions 2..32: degree s, polynomial a, initial m_1..m_s.
    private static readonly int[][] JoeKuo =
    [
        [1, 0, 1], [2, 1, 1, 3], [3, 1, 1, 3, 1], [3, 2, 1, 1, 1], [4, 1, 1, 1, 3, 3], [4, 4, 1, 3, 5, 13],
        [5, 2, 1, 1, 5, 5, 17], [5, 4, 1, 1, 5, 5, 5], [5, 7, 1, 1, 7, 11, 19], [5, 11, 1, 1, 5, 1, 1],
        [5, 13, 1, 1, 1, 3, 11], [5, 14, 1, 3, 5, 5, 31], [6, 1, 1, 3, 3, 9, 7, 49], [6, 13, 1, 1, 1, 15, 21, 21],
        [6, 16, 1, 3, 1, 13, 27, 49], [6, 19, 1, 1, 1, 15, 7, 5], [6, 22, 1, 3, 1, 15, 13, 25], [6, 25, 1, 1, 5, 5, 19, 61],
        [7, 1, 1, 3, 7, 11, 23, 15, 103], [7, 4, 1, 3, 7, 13, 13, 15, 69], [7, 7, 1, 1, 3, 13, 7, 35, 63],
        [7, 8, 1, 3, 5, 9, 1, 25, 53], [7, 14, 1, 3, 1, 13, 9, 35, 107], [7, 19, 1, 3, 1, 5, 27, 61, 31],
        [7, 21, 1, 1, 5, 11, 19, 41, 61], [7, 28, 1, 3, 5, 3, 3, 13, 69], [7, 31, 1, 1, 7, 13, 1, 19, 1],
        [7, 32, 1, 3, 7, 5, 13, 19, 59], [7, 37, 1, 1, 3, 9, 25, 29, 41], [7, 41, 1, 3, 5, 13, 23, 1, 55],
        [7, 42, 1, 3, 7, 3, 13, 59, 17],
    ];

    /// <summary>Dimensions supported.</summary>
    public static int MaxDimensions => JoeKuo.Length + 1;

    private static readonly uint[][] Directions = BuildDirections();

    private static uint[][] BuildDirections()
    {
        var dirs = new uint[MaxDimensions][];
        dirs[0] = new uint[Bits];
        for (int k = 0; k < Bits; k++) dirs[0][k] = 1u << (Bits - 1 - k);
        for (int d = 1; d < MaxDimensions; d++)
        {
            int[] row = JoeKuo[d - 1];
            int s = row[0], a = row[1];
            var v = new uint[Bits];
            for (int k = 0; k < Math.Min(s, Bits); k++) v[k] = (uint)row[2 + k] << (Bits - 1 - k);
            for (int k = s; k < Bits; k++)
            {
                uint x = v[k - s] ^ (v[k - s] >> s);
                for (int j = 1; j < s; j++)
                    if (((a >> (s - 1 - j)) & 1) != 0) x ^= v[k - j];
                v[k] = x;
            }
            dirs[d] = v;
        }
        return dirs;
    }

    /// <summary>Point <paramref name="index"/> (0 is the origin) in dimension <paramref name="dimension"/> (0-based), in [0, 1).</summary>
    public static double At(long index, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, 1L << Bits);
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dimension, MaxDimensions);
        ulong gray = (ulong)index ^ ((ulong)index >> 1);
        uint x = 0;
        var v = Directions[dimension];
        for (int k = 0; gray != 0; k++, gray >>= 1)
            if ((gray & 1) != 0) x ^= v[k];
        return x / 4294967296.0;
    }
}
