using System.Runtime.Intrinsics.X86;

namespace MarketSim.Tests;

/// <summary>A test of an AVX2 code path: reported as skipped, with the reason, on a CPU (or a run) without AVX2.</summary>
public sealed class Avx2FactAttribute : FactAttribute
{
    public Avx2FactAttribute()
    {
        if (!Avx2.IsSupported) Skip = "needs AVX2 (absent, or switched off by DOTNET_EnableAVX2=0): the engine then runs only the scalar form";
    }
}
