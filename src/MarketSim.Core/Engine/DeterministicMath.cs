using System.Runtime.CompilerServices;

namespace MarketSim.Engine;

/// <summary>
/// Elementary functions for the hot loop written with IEEE additions and multiplications only, so that they give the
/// same bits on every machine: MathF.Exp calls the C library, whose implementation (and last bit) varies with the
/// CPU and library version. Also several times cheaper than the library call.
/// </summary>
public static class DeterministicMath
{
    /// <summary>
    /// e^x for x in [−87, 88] (clamped outside), relative error below 2·10⁻⁷: Cody–Waite reduction by ln 2 and the
    /// Cephes expf polynomial.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        x = Math.Clamp(x, -87f, 88f);
        float n = MathF.Round(x * 1.44269504088896341f);
        float r = x - n * 0.693359375f + n * 2.12194440e-4f;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        float e = p * (r * r) + r + 1f;
        return e * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
    }
}
