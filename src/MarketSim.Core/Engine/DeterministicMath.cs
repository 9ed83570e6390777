using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>
    /// <see cref="Exp(float)"/> on eight values at once, with the same bits in every lane: the same IEEE operations in
    /// the same order (no fused multiply-add), rounding to nearest even as <see cref="MathF.Round(float)"/> does.
    /// Callers check <see cref="Avx2.IsSupported"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Avx.Min(Avx.Max(x, Vector256.Create(-87f)), Vector256.Create(88f));
        var n = Avx.RoundToNearestInteger(x * Vector256.Create(1.44269504088896341f));
        var r = x - n * Vector256.Create(0.693359375f) + n * Vector256.Create(2.12194440e-4f);
        var p = Vector256.Create(1.9875691500e-4f);
        p = p * r + Vector256.Create(1.3981999507e-3f);
        p = p * r + Vector256.Create(8.3334519073e-3f);
        p = p * r + Vector256.Create(4.1665795894e-2f);
        p = p * r + Vector256.Create(1.6666665459e-1f);
        p = p * r + Vector256.Create(5.0000001201e-1f);
        var e = p * (r * r) + r + Vector256<float>.One;
        var scale = Avx2.ShiftLeftLogical(Avx.ConvertToVector256Int32WithTruncation(n) + Vector256.Create(127), 23);
        return e * scale.AsSingle();
    }
}
