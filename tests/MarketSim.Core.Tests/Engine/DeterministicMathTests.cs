using MarketSim.Engine;

namespace MarketSim.Tests.Engine;

public class DeterministicMathTests
{
    [Fact]
    public void Exp_OverItsRange_IsWithinTwoTenMillionthsOfTheExactValue()
    {
        for (float x = -87f; x <= 88f; x += 0.0137f)
        {
            double exact = Math.Exp(x), got = DeterministicMath.Exp(x);
            Assert.True(Math.Abs(got - exact) <= 2e-7 * exact, $"exp({x}) = {got}, exact {exact}");
        }
    }

    [Fact]
    public void Exp_KnownValuesAndClamping()
    {
        Assert.Equal(1f, DeterministicMath.Exp(0f));
        Assert.Equal((float)Math.E, DeterministicMath.Exp(1f), 6);
        Assert.Equal(DeterministicMath.Exp(88f), DeterministicMath.Exp(1000f));
        Assert.True(DeterministicMath.Exp(-1000f) > 0);
        Assert.True(float.IsFinite(DeterministicMath.Exp(float.MaxValue)));
    }

    [Avx2Fact]
    public void Exp_EightLanes_SameBitsAsScalar()
    {
        var lanes = new float[8];
        for (float x = -100f; x <= 100f; x += 8 * 0.00731f)
        {
            for (int k = 0; k < 8; k++) lanes[k] = x + k * 0.00731f;
            var got = DeterministicMath.Exp(System.Runtime.Intrinsics.Vector256.Create(lanes));
            for (int k = 0; k < 8; k++)
                Assert.Equal(BitConverter.SingleToInt32Bits(DeterministicMath.Exp(lanes[k])), BitConverter.SingleToInt32Bits(got[k]));
        }
    }
}
