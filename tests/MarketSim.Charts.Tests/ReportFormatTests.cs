using MarketSim.Charts;

namespace MarketSim.Tests;

/// <summary>
/// <see cref="ReportFormat"/>, the reports' one number format (issue 29, item 1): ranges whose ends are in different
/// units, and labels of small non-zero values that must not round to a signed zero.
/// </summary>
public class ReportFormatTests
{
    [Theory]
    // Ends in different units: both in the larger end's unit, written once ("871 to 117 thousand" read as 871 thousand).
    [InlineData(871, 117_000, false, false, "0.871 to 117 thousand")]
    [InlineData(871, 117_000, false, true, "+0.871 to +117 thousand")]
    [InlineData(-987_000, 1_020_000, false, true, "\u22120.987 to +1.02 million")]
    [InlineData(730e6, 1.28e9, true, true, "+0.73 to +1.28 billion yuan")]
    [InlineData(0, 5_000, false, true, "0 to +5.00 thousand")]
    // Same unit: as before.
    [InlineData(-13.2e9, -10.5e9, true, true, "\u221213.2 to \u221210.5 billion yuan")]
    [InlineData(120, 480, false, false, "120 to 480")]
    public void Range_MixedUnits_WritesBothEndsInTheLargerUnit(double low, double high, bool yuan, bool signed, string expected) =>
        Assert.Equal(expected, ReportFormat.Range(low, high, yuan, signed));

    [Theory]
    [InlineData(-0.004, 2, "\u22120.0040")]
    [InlineData(0.00049, 2, "+0.00049")]
    [InlineData(-0.25, 2, "\u22120.25")]
    [InlineData(0, 2, "0")]
    public void Label_NonZeroRoundingToZero_ShowsItsDigitsNotASignedZero(double v, int decimals, string expected) =>
        Assert.Equal(expected, ReportFormat.Label(v, decimals));
}
