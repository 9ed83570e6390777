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
}
